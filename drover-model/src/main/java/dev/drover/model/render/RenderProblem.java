package dev.drover.model.render;

/** Why a cluster cannot be rendered; becomes a {@link ClusterOutcome.Failed}. */
final class RenderProblem extends RuntimeException {

    private final String reason;

    RenderProblem(String reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    String reason() {
        return reason;
    }
}
