package dev.pdsim.scenario;

import dev.pdsim.diag.SourceLocation;
import java.util.List;

/**
 * A group of {@code count} identical SGLang servers of one role, each spanning
 * {@code args.nnodes()} nodes of {@code gpusPerNode} GPUs.
 *
 * @param launch      the parsed launch line, or null when the instance was written with structured fields only
 * @param resolved    the arguments as launched: the flags written plus the strategy's launch changes
 * @param written     every flag as written (launch line, then fields, then a sweep's), without the
 *                    strategy's launch changes, kept so a variant can re-resolve
 * @param environment the launch line's environment assignments
 */
public record InstanceSpec(Role role, int count, int gpusPerNode, ResolvedServerArgs resolved,
                           LaunchCommand launch, SourceLocation where, List<FlagValue> written,
                           List<EnvAssignment> environment) {

    public ServerArgs args() {
        return resolved.args();
    }
}
