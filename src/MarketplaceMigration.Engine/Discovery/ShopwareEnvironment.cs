using System;
using System.Collections.Generic;
using System.IO;
using MarketplaceMigration.Engine.Errors;

namespace MarketplaceMigration.Engine.Discovery;

/// <summary>
/// The environment Shopware itself would see, in Symfony Dotenv precedence: real environment
/// variables win; then <c>.env.local.php</c> when it exists (written by <c>composer dump-env</c>,
/// Symfony then reads no .env file); otherwise <c>.env</c>, <c>.env.local</c>, <c>.env.$APP_ENV</c>
/// and <c>.env.$APP_ENV.local</c>, each overriding the ones before it.
/// </summary>
public sealed class ShopwareEnvironment
{
    private readonly Dictionary<string, string> _fileValues;
    private readonly Dictionary<string, string> _fileSources;
    private readonly Func<string, string?> _process;

    private ShopwareEnvironment(
        Dictionary<string, string> values,
        Dictionary<string, string> sources,
        Func<string, string?> process,
        IReadOnlyList<string> filesRead
    )
    {
        _fileValues = values;
        _fileSources = sources;
        _process = process;
        FilesRead = filesRead;
    }

    /// <summary>The files that were read, in order.</summary>
    public IReadOnlyList<string> FilesRead { get; }

    /// <summary>Loads the environment of the Shopware installation at <paramref name="root"/>.</summary>
    /// <param name="root">The Shopware root directory.</param>
    /// <param name="process">Reads a process environment variable (null when unset).</param>
    public static ShopwareEnvironment Load(string root, Func<string, string?> process)
    {
        if (process is null)
            throw new ArgumentNullException(nameof(process));
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var sources = new Dictionary<string, string>(StringComparer.Ordinal);
        var read = new List<string>();

        var php = Path.Combine(root, ".env.local.php");
        if (File.Exists(php))
        {
            foreach (var pair in DotEnvPhpFile.Parse(php, ReadText(php)))
            {
                values[pair.Key] = pair.Value;
                sources[pair.Key] = php;
            }

            read.Add(php);
            return new ShopwareEnvironment(values, sources, process, read);
        }

        void LoadFile(string name)
        {
            var path = Path.Combine(root, name);
            if (!File.Exists(path))
                return;
            var before = new Dictionary<string, string>(values, StringComparer.Ordinal);
            DotEnvFile.Parse(path, ReadText(path), values, process);
            foreach (var pair in values)
            {
                if (!before.TryGetValue(pair.Key, out var old) || old != pair.Value || !sources.ContainsKey(pair.Key))
                    sources[pair.Key] = path;
            }

            read.Add(path);
        }

        LoadFile(".env");
        var appEnv = process("APP_ENV") ?? (values.TryGetValue("APP_ENV", out var fromFile) ? fromFile : "dev");
        if (appEnv != "test")
            LoadFile(".env.local");
        LoadFile(".env." + appEnv);
        LoadFile(".env." + appEnv + ".local");
        return new ShopwareEnvironment(values, sources, process, read);
    }

    /// <summary>The value of <paramref name="key"/> and where it came from, or null.</summary>
    public (string Value, string Source)? Get(string key)
    {
        var fromProcess = _process(key);
        if (!string.IsNullOrEmpty(fromProcess))
            return (fromProcess!, "the process environment");
        return _fileValues.TryGetValue(key, out var value) ? (value, _fileSources[key]) : null;
    }

    /// <summary>Shopware's TLS settings for its database (<c>DATABASE_SSL_CA</c>, <c>DATABASE_SSL_DONT_VERIFY_SERVER_CERT</c>).</summary>
    public TlsSettings Tls()
    {
        var ca = Get("DATABASE_SSL_CA")?.Value;
        var dontVerify = Get("DATABASE_SSL_DONT_VERIFY_SERVER_CERT")?.Value;
        if (!string.IsNullOrEmpty(ca))
        {
            return new TlsSettings(dontVerify is "1" or "true" ? "Required" : "VerifyCA", ca);
        }

        return TlsSettings.Default;
    }

    private static string ReadText(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            throw new MigrationException(
                ErrorIds.DotEnvInvalid,
                MigrationErrorKind.Permission,
                path,
                $"{path} exists but cannot be read: {ex.Message}",
                "run as a user that may read the Shopware root's environment files (usually the web server user or root).",
                ex
            );
        }
    }
}
