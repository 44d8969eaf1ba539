using System.Reflection;

namespace Shop.AppHost.Runtime;

internal static class ProjectLocator
{
    /// <summary>
    /// The AppHost project's folder, generated into the assembly at build time (as Aspire's SDK does), so it is
    /// right whether the AppHost runs with dotnet run, from its output, or inside a test host.
    /// </summary>
    public static string FindAppHostDirectory(Assembly? entryAssembly)
    {
        var path = typeof(ProjectLocator).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "AppHostProjectDirectory")?.Value;
        return path is { Length: > 0 } ? path.TrimEnd('/') : Path.GetDirectoryName(entryAssembly?.Location ?? AppContext.BaseDirectory)!;
    }
}
