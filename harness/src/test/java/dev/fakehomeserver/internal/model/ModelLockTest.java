package dev.fakehomeserver.internal.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.fakehomeserver.CoreAccess;
import dev.fakehomeserver.testing.Fixture;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The model owns its lock: its lookups refuse to run without it (so a caller that forgot {@code read}/{@code write}
 * fails at once instead of racing now and then), and what they hand out cannot be changed from outside.
 */
class ModelLockTest {
    private Fixture f;
    private HomeserverModel model;
    private String room;

    @BeforeEach
    void start() {
        f = Fixture.start();
        model = CoreAccess.core(f.hs).model();
        room = f.hs.user("@alice:test").createRoom();
        f.hs.user("@alice:test").invite(room, "@bob:test");
        f.hs.user("@bob:test").join(room);
    }

    @AfterEach
    void stop() {
        f.close();
    }

    @Test
    void lookups_without_the_lock_are_refused_with_what_to_do() {
        for (Runnable lookup : new Runnable[] {() -> model.room(room), () -> model.user("@alice:test"),
                () -> model.rooms(), () -> model.users(), () -> model.roomForAlias("#x:test"),
                () -> model.roomIdsByAlias(), () -> model.event("$none"), () -> model.joinedRooms("@bob:test")}) {
            assertThatThrownBy(lookup::run).isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("model.read(..) or model.write(..)");
        }
    }

    @Test
    void inside_read_the_same_lookups_answer() {
        assertThat(model.read(() -> model.room(room).state().joined())).containsExactly("@alice:test", "@bob:test");
        assertThat(model.read(() -> model.joinedRooms("@bob:test"))).containsExactly(room);
    }

    @Test
    void collections_leave_the_model_unmodifiable() {
        model.read(() -> {
            Room r = model.room(room);
            refuses(r.timeline(), c -> c.clear());
            refuses(r.state().joined(), c -> c.add("@mallory:test"));
            refuses(r.state().ofType("m.room.member"), c -> c.clear());
            refuses(r.aliases(), c -> c.add("#x:test"));
            refuses(r.forgottenBy(), c -> c.add("@alice:test"));
            refuses(model.rooms(), c -> c.clear());
            refuses(model.users(), c -> c.clear());
            refuses(model.joinedRooms("@bob:test"), c -> c.clear());
            refuses(model.roomIdsByAlias().keySet(), c -> c.clear());
            refuses(model.user("@alice:test").devices().keySet(), c -> c.clear());
            return null;
        });
    }

    private static <T extends java.util.Collection<?>> void refuses(T collection, Consumer<T> change) {
        assertThatThrownBy(() -> change.accept(collection)).isInstanceOf(UnsupportedOperationException.class);
    }
}
