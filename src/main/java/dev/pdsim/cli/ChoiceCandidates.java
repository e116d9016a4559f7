package dev.pdsim.cli;

import dev.pdsim.scenario.NamedChoice;
import dev.pdsim.scenario.Strategy;
import dev.pdsim.serving.Fidelity;
import java.util.Iterator;

/** Completion candidates (and {@code ${COMPLETION-CANDIDATES}} in help texts) read from the enums. */
final class ChoiceCandidates {
    private ChoiceCandidates() {
    }

    static final class Strategies implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return NamedChoice.names(Strategy.class).iterator();
        }
    }

    static final class Fidelities implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return CliArgs.names(Fidelity.class).iterator();
        }
    }
}
