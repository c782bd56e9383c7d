package dev.fakehomeserver.fuzz;

import dev.fakehomeserver.testing.TestRegistrations;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.fakehomeserver.Registration;
import dev.fakehomeserver.RegistrationException;
import dev.fakehomeserver.internal.registration.RegistrationLint;
import dev.fakehomeserver.internal.registration.RegistrationSetValidator;
import java.util.List;

/**
 * Any text given as a registration file is either loaded or refused with a {@link RegistrationException}
 * naming the problem, never another exception; a loaded one can be linted and validated the same way.
 *
 * <p>The default build replays the committed corpus ({@code RegistrationLoaderFuzzTestInputs/}); {@code -Pfuzz}
 * fuzzes for {@code maxDuration}. A finding is fixed in the loader and its input committed to the corpus.
 */
class RegistrationLoaderFuzzTest {
    /** A second registration, so the conflict check compares the fuzzed namespaces with real ones. */
    private static final Registration WEATHER = TestRegistrations.weather("http://127.0.0.1:9");

    @FuzzTest(maxDuration = "3m")
    void loads_or_refuses_any_text_with_a_RegistrationException(FuzzedDataProvider data) {
        String yaml = data.consumeRemainingAsString();
        Registration r;
        try {
            r = Registration.fromYaml(yaml, "fuzz.yaml");
        } catch (RegistrationException expected) {
            return;
        }
        RegistrationLint.lint(r, "test");
        try {
            RegistrationSetValidator.validate(List.of(r), "test");
            RegistrationSetValidator.checkNamespaceConflicts(List.of(r, WEATHER), "test");
        } catch (RegistrationException expected) {
            // a refusal with a reason is the contract
        }
    }
}
