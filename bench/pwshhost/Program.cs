using System;
using System.Management.Automation;
using System.Management.Automation.Runspaces;

// pwshhost -m <module manifest> -c '<script>': imports the module, runs the script, prints every output
// object and every error (with its id), exits 1 when any error was written (as `pwsh -c` would).
if (args.Length != 4 || args[0] != "-m" || args[2] != "-c")
{
    Console.Error.WriteLine("usage: pwshhost -m <MarketplaceMigration.psd1> -c '<PowerShell script>'");
    return 2;
}

using var runspace = RunspaceFactory.CreateRunspace(InitialSessionState.CreateDefault2());
runspace.Open();
using var ps = PowerShell.Create(runspace);
// As a user's script would: Import-Module first (its time is part of every figure), then the work.
ps.AddScript("Import-Module -Name $args[0] -ErrorAction Stop\n" + args[3]).AddArgument(System.IO.Path.GetFullPath(args[1]));
var failed = false;
ps.Streams.Warning.DataAdded += (_, e) => Console.Error.WriteLine("WARNING: " + ps.Streams.Warning[e.Index].Message);
ps.Streams.Error.DataAdded += (_, e) =>
{
    failed = true;
    var error = ps.Streams.Error[e.Index];
    Console.Error.WriteLine($"ERROR {error.FullyQualifiedErrorId}: {error.Exception.Message}");
};
var output = new PSDataCollection<PSObject>();
output.DataAdded += (_, e) => Console.WriteLine(output[e.Index]);
try
{
    ps.Invoke(null, output);
}
catch (RuntimeException ex)
{
    Console.Error.WriteLine($"ERROR {ex.ErrorRecord?.FullyQualifiedErrorId}: {ex.Message}");
    return 1;
}

return failed || ps.HadErrors ? 1 : 0;
