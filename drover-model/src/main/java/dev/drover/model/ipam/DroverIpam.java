package dev.drover.model.ipam;

/**
 * Drover as a Cluster API IPAM provider on the management cluster: the pool kind that claims reference (a cluster-scoped
 * mirror of each Drover IPPool, whose CRD ships with Drover, since the contract wants the pool kind served there), and
 * the finalizers and labels on the objects Drover writes.
 */
public final class DroverIpam {

    public static final String GROUP = "ipam.drover.dev";
    public static final String VERSION = "v1alpha1";
    public static final String POOL_KIND = "IPPool";
    public static final String POOL_PLURAL = "ippools";
    /** Held on a claim while Drover holds an address for it. */
    public static final String CLAIM_FINALIZER = GROUP + "/release-address";
    /** On an IPAddress Drover wrote: the contract's finalizer that protects it from an accidental delete. */
    public static final String ADDRESS_FINALIZER = "ipam.cluster.x-k8s.io/protect-address";

    private DroverIpam() {
    }
}
