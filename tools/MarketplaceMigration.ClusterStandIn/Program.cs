// The Flyokai cluster stand-in. Commands:
//   serve   --config <flyok.config.json> --port <channel port> [--pidfile <file>]
//   restart --config <flyok.config.json> --port <channel port> --pidfile <file> [--log <file>]
//   ping    [--host 127.0.0.1] --port <channel port>
// "serve" reads the config once, at start, like the real cluster: a flipped db.connection.active
// takes effect only after a restart. It answers "PING" with the seller count of the active database,
// in the format of `php bin/console marketplace:ping`.
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MySqlConnector;

var command = args.Length > 0 ? args[0] : "";
string Option(string name, string? fallback = null)
{
    var i = Array.IndexOf(args, "--" + name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback ?? throw new ArgumentException($"--{name} is required");
}

switch (command)
{
    case "serve": return await Serve(Option("config"), int.Parse(Option("port")), Option("pidfile", ""));
    case "restart": return await Restart(Option("config"), int.Parse(Option("port")), Option("pidfile"), Option("log", Option("pidfile") + ".log"));
    case "ping": return await Ping(Option("host", "127.0.0.1"), int.Parse(Option("port")));
    default:
        Console.Error.WriteLine("usage: serve|restart|ping --config <file> --port <port> [--pidfile <file>]");
        return 2;
}

static async Task<int> Serve(string configPath, int port, string pidFile)
{
    using var document = JsonDocument.Parse(File.ReadAllText(configPath));
    var connection = document.RootElement.GetProperty("db").GetProperty("connection");
    var active = connection.GetProperty("active").GetString()!;
    var block = connection.GetProperty(active == "default" ? "default" : active);
    var builder = new MySqlConnectionStringBuilder
    {
        Server = block.TryGetProperty("hostname", out var h) ? h.GetString() : block.GetProperty("host").GetString(),
        Port = block.TryGetProperty("port", out var p) ? (uint)p.GetInt32() : 3306,
        UserID = block.GetProperty("username").GetString(),
        Password = block.TryGetProperty("password", out var pw) ? pw.GetString() : "",
        Database = block.GetProperty("database").GetString(),
    };
    var listener = new TcpListener(IPAddress.Loopback, port);
    listener.Start();
    if (pidFile.Length > 0) File.WriteAllText(pidFile, Environment.ProcessId.ToString());
    Console.WriteLine($"stand-in cluster serving {active} ({builder.Database}) on 127.0.0.1:{port}");
    while (true)
    {
        using var client = await listener.AcceptTcpClientAsync();
        try
        {
            using var stream = client.GetStream();
            using var reader = new StreamReader(stream, Encoding.UTF8);
            using var writer = new StreamWriter(stream, new UTF8Encoding(false)) { NewLine = "\n", AutoFlush = true };
            var line = await reader.ReadLineAsync();
            if (line?.Trim() != "PING") { await writer.WriteLineAsync("ERROR: unknown request"); continue; }
            await using var db = new MySqlConnection(builder.ConnectionString);
            await db.OpenAsync();
            await using var count = new MySqlCommand("SELECT COUNT(*) FROM flyokai_seller", db);
            var sellers = Convert.ToInt64(await count.ExecuteScalarAsync());
            await writer.WriteLineAsync("Backend: Flyokai\\MarketplaceRemote\\Service\\RemoteMarketplaceBackend (stand-in, data in " + active + ")");
            await writer.WriteLineAsync($"OK: {sellers} seller(s) total, {Math.Min(sellers, 20)} returned on this page");
        }
        catch (Exception ex) when (ex is IOException or MySqlException)
        {
            Console.Error.WriteLine("ping failed: " + ex.Message);
        }
    }
}

static async Task<int> Restart(string configPath, int port, string pidFile, string log)
{
    if (File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var old))
    {
        try
        {
            using var running = Process.GetProcessById(old);
            running.Kill();
            running.WaitForExit(10000);
        }
        catch (ArgumentException)
        {
        }
    }

    // Started through the shell with its output in a log, so it holds no pipe of ours and outlives us.
    var self = typeof(Program).Assembly.Location;
    var line = $"nohup dotnet '{self}' serve --config '{configPath}' --port {port} --pidfile '{pidFile}' > '{log}' 2>&1 < /dev/null &";
    using (var shell = Process.Start(new ProcessStartInfo("/bin/sh") { ArgumentList = { "-c", line }, UseShellExecute = false }))
    {
        shell!.WaitForExit();
    }

    var deadline = DateTime.UtcNow.AddSeconds(20);
    while (DateTime.UtcNow < deadline)
    {
        try
        {
            using var probe = new TcpClient();
            await probe.ConnectAsync(IPAddress.Loopback, port);
            Console.WriteLine($"cluster restarted on port {port}");
            return 0;
        }
        catch (SocketException)
        {
            await Task.Delay(100);
        }
    }

    Console.Error.WriteLine($"the cluster did not come back on port {port}; see {log}");
    return 1;
}

static async Task<int> Ping(string host, int port)
{
    try
    {
        using var client = new TcpClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await client.ConnectAsync(host, port, timeout.Token);
        using var stream = client.GetStream();
        var request = Encoding.UTF8.GetBytes("PING\n");
        await stream.WriteAsync(request, timeout.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var answer = await reader.ReadToEndAsync(timeout.Token);
        Console.Write(answer);
        return answer.Contains("OK:") ? 0 : 1;
    }
    catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
    {
        Console.Error.WriteLine($"ERROR: the cluster does not answer on {host}:{port}: {ex.Message}");
        return 1;
    }
}
