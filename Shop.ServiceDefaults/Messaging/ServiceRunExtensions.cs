using JasperFx;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Hosting;

namespace Shop.ServiceDefaults.Messaging;

public static class ServiceRunExtensions
{
    /// <summary>
    /// Runs the service; with arguments (<c>codegen write</c>, as <c>eng/codegen.sh</c> runs it), runs JasperFx's
    /// command line instead. The command line is only built when asked for: building it loads every assembly in the
    /// output directory, looking for commands (Roslyn and MEF among them, assemblies no request uses), which kept
    /// 5–15 MB more resident in each service (228 assemblies loaded against 189 now).
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
