using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

// Another module's MySqlConnector, loaded first into the default load context.
Console.Error.WriteLine("host holds MySqlConnector " + typeof(MySqlConnector.MySqlConnection).Assembly.GetName().Version);
if (args.Length != 1)
{
    Console.Error.WriteLine("usage: plainhost '<PowerShell script>'");
    return 2;
}

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create(runspace);
ps.AddScript(args[0]);
try
{
    foreach (var o in ps.Invoke()) Console.WriteLine(o);
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine($"ERROR {ex.ErrorRecord?.FullyQualifiedErrorId}: {ex.Message}");
    return 1;
}

foreach (var e in ps.Streams.Error) Console.Error.WriteLine($"ERROR {e.FullyQualifiedErrorId}: {e.Exception.Message}");
return ps.HadErrors ? 1 : 0;
