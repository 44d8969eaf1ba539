using JasperFx;
using Microsoft.AspNetCore.Builder;

namespace Microsoft.Extensions.Hosting;

public static class ServiceRunExtensions
{
    /// <summary>
    /// Runs the service; with arguments (<c>codegen write</c>, as <c>eng/codegen.sh</c> runs it), runs JasperFx's
    /// command line instead. The command line is only built when asked for: building it loads every assembly in the
    /// output directory, looking for commands (Roslyn, MEF, NetTopologySuite: 100+ assemblies no request uses), which
    /// cost each service about a second of CPU at start-up and the memory of those assemblies for good.
    /// </summary>
    public static async Task<int> RunServiceAsync(this WebApplication app, string[] args)
    {
        if (args.Length > 0)
        {
            return await app.RunJasperFxCommands(args);
        }
        await app.RunAsync();
        return 0;
    }
}
