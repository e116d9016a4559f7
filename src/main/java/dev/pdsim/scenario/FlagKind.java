package dev.pdsim.scenario;

import java.util.Arrays;
import java.util.Optional;

/** What pdsim does with an accepted launch flag: the three kinds {@code explain} lists. */
public enum FlagKind {
    /** pdsim computes with its value. */
    SIMULATED("simulated"),
    /** It does not change how SGLang serves (addresses, logging, tokenizer, API). */
    NO_EFFECT("no-effect"),
    /** It changes how SGLang serves, but pdsim ignores it; a value other than the default is a warning. */
    NOT_SIMULATED("not-simulated");

    private final String tableName;

    FlagKind(String tableName) {
        this.tableName = tableName;
    }

    /** The name used in the flag table resource. */
    public String tableName() {
        return tableName;
    }

    static Optional<FlagKind> byTableName(String name) {
        return Arrays.stream(values()).filter(k -> k.tableName.equals(name)).findFirst();
    }
}
