namespace MarketplaceMigration.Engine.Galera;

/// <summary>One node of a Galera cluster as it reports itself.</summary>
/// <param name="Address">host:port.</param>
/// <param name="ClusterStatus">wsrep_cluster_status: Primary, non-Primary or Disconnected.</param>
/// <param name="State">wsrep_local_state_comment: Synced, Donor/Desynced, Joining, Joined, ...</param>
/// <param name="ClusterSize">wsrep_cluster_size as this node sees it.</param>
/// <param name="RecvQueue">wsrep_local_recv_queue: write-sets waiting to be applied here.</param>
/// <param name="FlowControlActive">wsrep_flow_control_active: replication is paused for a slow node now.</param>
public sealed record GaleraNode(string Address, string ClusterStatus, string State, int ClusterSize, long RecvQueue, bool FlowControlActive)
{
    /// <summary>In the primary component and Synced: its reads and writes are the cluster's.</summary>
    public bool Healthy => ClusterStatus == "Primary" && State == "Synced";
}
