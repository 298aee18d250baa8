namespace MarketplaceMigration.Engine.Discovery;

/// <summary>How to use TLS towards an endpoint (MySqlConnector's SslMode and CA file).</summary>
/// <param name="SslMode">None, Preferred, Required, VerifyCA or VerifyFull.</param>
/// <param name="SslCa">CA certificate file, or null.</param>
public sealed record TlsSettings(string SslMode, string? SslCa)
{
    /// <summary>MySqlConnector's default: TLS when the server offers it, unverified.</summary>
    public static TlsSettings Default { get; } = new("Preferred", null);
}
