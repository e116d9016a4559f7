package dev.pdsim.scenario;

/** How many values argparse takes after a flag ({@code nargs}); a switch takes none. */
public enum FlagArity {
    /** Exactly one value (no {@code nargs}). */
    ONE,
    /** {@code nargs="+"}: one or more, up to the next word that looks like a flag. */
    ONE_OR_MORE,
    /** {@code nargs="*"}: any number, none included. */
    ANY;

    boolean isList() {
        return this != ONE;
    }
}
