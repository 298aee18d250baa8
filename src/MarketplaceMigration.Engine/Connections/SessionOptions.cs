namespace MarketplaceMigration.Engine.Connections;

/// <summary>How a session is opened.</summary>
public sealed record SessionOptions
{
    /// <summary>A pooled session that runs statements as long as they take.</summary>
    public static SessionOptions Default { get; } = new();

    /// <summary>A session of its own (not pooled) that ends on Dispose: for session locks.</summary>
    public static SessionOptions Unpooled { get; } = new() { Pooling = false };

    /// <summary>LOAD DATA LOCAL allowed (the bulk copy).</summary>
    public bool LoadLocalInfile { get; init; }

    /// <summary>Taken from and returned to the pool.</summary>
    public bool Pooling { get; init; } = true;

    /// <summary>How long a statement may take before the client gives up on it (a stalled link); 0: no limit.</summary>
    public int CommandTimeoutSeconds { get; init; }
}
