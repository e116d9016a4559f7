package dev.pdsim.scenario;

/**
 * A group of {@code count} identical SGLang servers of one role, each spanning
 * {@code args.nnodes()} nodes of {@code gpusPerNode} GPUs.
 *
 * @param launch the parsed launch line, or null when the instance was written with structured fields only
 */
public record InstanceSpec(Role role, int count, int gpusPerNode, ResolvedServerArgs resolved,
                           LaunchCommand launch, SourceLocation where) {

    public ServerArgs args() {
        return resolved.args();
    }
}
