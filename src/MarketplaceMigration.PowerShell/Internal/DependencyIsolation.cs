using System;
using System.IO;
using System.Linq;
using System.Management.Automation;
using System.Reflection;
using System.Runtime.Loader;

namespace MarketplaceMigration.PowerShell.Internal;

/// <summary>
/// Loads the engine and the libraries it brings (MySqlConnector, YamlDotNet, Microsoft.Extensions.*)
/// from the module's <c>dependencies</c> folder into a load context of their own, so the module works
/// beside other modules that ship other versions of them. The framework's own assemblies (System.*)
/// still come from PowerShell. Without a dependencies folder (the tests' flat output) nothing changes.
/// </summary>
public sealed class DependencyIsolation : IModuleAssemblyCleanup
{
    private static readonly string Folder = Path.Combine(
        Path.GetDirectoryName(typeof(DependencyIsolation).Assembly.Location) ?? ".",
        "dependencies"
    );
    private static readonly Lazy<ModuleLoadContext> Context = new(() => new ModuleLoadContext(Folder));

    private static bool _registered;

    /// <summary>
    /// Registers the resolver. Called by the module's script (MarketplaceMigration.psm1) after it loads
    /// this assembly and before it imports the cmdlets: PowerShell reads the cmdlets' parameter and output
    /// types (engine types) while importing, before any IModuleAssemblyInitializer would run.
    /// </summary>
    /// <returns>Whether the module has a dependencies folder (false: a flat layout, nothing to do).</returns>
    public static bool Register()
    {
        if (!Directory.Exists(Folder))
            return false;
        lock (Folder)
        {
            if (!_registered)
                AssemblyLoadContext.Default.Resolving += Resolve;
            _registered = true;
        }

        return true;
    }

    /// <summary>
    /// Makes the engine's public types nameable in a user's session (<c>[MarketplaceMigration.Engine.Discovery.MigrationProfile]</c>,
    /// <c>$x -is [...]</c>): PowerShell resolves a type name only among the assemblies of the default load
    /// context, and the isolated engine is not one of them, so each public engine type is registered as a
    /// type accelerator under its full name (removed again with the module). Called by the module's
    /// script after it imports the cmdlets; without a dependencies folder the names resolve by themselves.
    /// </summary>
    /// <returns>How many type names were registered.</returns>
    public static int RegisterTypeNames()
    {
        if (!Directory.Exists(Folder))
            return 0;
        var accelerators = typeof(PSObject).Assembly.GetType("System.Management.Automation.TypeAccelerators");
        var add = accelerators?.GetMethod(
            "Add",
            BindingFlags.Public | BindingFlags.Static,
            null,
            new[] { typeof(string), typeof(Type) },
            null
        );
        if (add is null)
            return 0;
        var count = 0;
        foreach (var type in EngineTypes())
        {
            add.Invoke(null, new object[] { type.FullName!, type });
            count++;
        }

        return count;
    }

    private static System.Collections.Generic.IEnumerable<Type> EngineTypes() =>
        typeof(Engine.Discovery.MigrationProfile).Assembly.GetExportedTypes().Where(t => t.FullName != null && !t.IsNested);

    /// <summary>Removes the resolver when the module is removed.</summary>
    public void OnRemove(PSModuleInfo psModuleInfo)
    {
        lock (Folder)
        {
            AssemblyLoadContext.Default.Resolving -= Resolve;
            _registered = false;
        }

        if (!Directory.Exists(Folder))
            return;
        var remove = typeof(PSObject)
            .Assembly.GetType("System.Management.Automation.TypeAccelerators")
            ?.GetMethod("Remove", BindingFlags.Public | BindingFlags.Static, null, new[] { typeof(string) }, null);
        if (remove is null)
            return;
        foreach (var type in EngineTypes())
            remove.Invoke(null, new object[] { type.FullName! });
    }

    // Only what the default context cannot find reaches here: the engine (and whatever the cmdlets name
    // of its libraries) is loaded through the module's context, which then resolves the engine's own references.
    private static Assembly? Resolve(AssemblyLoadContext context, AssemblyName name) =>
        name.Name != null && File.Exists(Path.Combine(Folder, name.Name + ".dll")) ? Context.Value.LoadFromAssemblyName(name) : null;

    private sealed class ModuleLoadContext : AssemblyLoadContext
    {
        private readonly string _folder;

        public ModuleLoadContext(string folder) => _folder = folder;

        protected override Assembly? Load(AssemblyName assemblyName)
        {
            var path = Path.Combine(_folder, assemblyName.Name + ".dll");
            return File.Exists(path) ? LoadFromAssemblyPath(path) : null; // null: the default context (the framework) supplies it
        }
    }
}
