package dev.fakehomeserver.expect;

import java.util.List;

/**
 * The small phrases every "what the fake saw" text is made of. Apart from {@link WhatTheFakeSaw}, which offers
 * them publicly, so that {@link AppserviceSeen} needs neither it nor the other way round.
 */
final class Phrases {
    /** How many lines of a timeline, journal or transaction list a message shows (the last ones). */
    static final int SHOWN = 20;

    private Phrases() {
    }

    /** A title, then one indented line per item. */
    static String list(String title, List<?> items) {
        StringBuilder sb = new StringBuilder(title).append(':');
        items.forEach(i -> sb.append("\n  ").append(i));
        return sb.toString();
    }

    /** "1 event", "2 events". */
    static String count(long n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
