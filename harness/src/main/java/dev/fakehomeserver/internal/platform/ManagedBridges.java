package dev.fakehomeserver.internal.platform;

import dev.fakehomeserver.Registration;
import java.util.List;

/**
 * The bridges the platform runs itself ("Meldry-managed bridges (Telegram, Slack, Discord, etc.)"), as the
 * registrations the platform would hold for them. The seed names the bridges but not their namespaces; these are
 * the defaults of the bridges people deploy (a choice, listed in docs/platform.md):
 * <ul>
 *   <li>Telegram: mautrix-telegram's {@code username_template: telegram_{userid}} and {@code alias_template:
 *       telegram_{groupname}}, bot {@code telegrambot};</li>
 *   <li>Slack: the {@code slack_} ghosts of mautrix-slack and matrix-appservice-slack, bot {@code slackbot} (the
 *       seed's own example namespace is {@code @slack_*:your-server});</li>
 *   <li>Discord: matrix-appservice-discord's {@code @_discord_} ghosts and {@code #_discord_} rooms, bot
 *       {@code _discord_bot} (the seed's example: {@code #_discord_*:your-server}).</li>
 * </ul>
 * Every namespace is exclusive and ends with the server name and {@code $}. They have no url: the fake pushes
 * nothing to them (the real ones run inside the platform).
 */
final class ManagedBridges {
    private ManagedBridges() {}

    /** The bridges' registrations on {@code serverName}, with fresh random tokens. */
    static List<Registration> registrations(String serverName) {
        String s = ":" + escape(serverName) + "$";
        return List.of(
                bridge("telegram", "Telegram", "telegrambot").users("@telegram_.*" + s, true)
                        .aliases("#telegram_.*" + s, true).build(),
                bridge("slack", "Slack", "slackbot").users("@slack_.*" + s, true)
                        .aliases("#slack_.*" + s, true).build(),
                bridge("discord", "Discord", "_discord_bot").users("@_discord_.*" + s, true)
                        .aliases("#_discord_.*" + s, true).build());
    }

    private static Registration.Builder bridge(String id, String name, String sender) {
        return Registration.builder(id).senderLocalpart(sender).url(null)
                .source("the platform's managed " + name + " bridge");
    }

    /** The server name as regex text: every character that means something in a regex is escaped. */
    static String escape(String serverName) {
        StringBuilder sb = new StringBuilder();
        for (char c : serverName.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.toString();
    }
}
