using System.Globalization;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Shop.Catalog.Pricing;

/// <summary>
/// Catalog's second endpoint, named <c>grpc</c>: HTTP/2 only and without TLS (h2c), where the pricing service is
/// served to other services (ordering prices an order with it).
/// </summary>
/// <remarks>
/// <para>
/// The AppHost declares it as <c>WithHttpEndpoint(name: "grpc", env: "GRPC_PORT")</c>. Aspire hands an endpoint that has
/// an <c>env</c> its port in that variable and leaves it out of <c>ASPNETCORE_URLS</c> (run mode) and <c>HTTP_PORTS</c>
/// (publish mode), which carry the service's other endpoints; so the service itself must listen on it.
/// </para>
/// <para>
/// It does so by adding the grpc address to the addresses the host binds anyway, rather than by listening in code:
/// any endpoint configured in code or in <c>Kestrel:Endpoints</c> makes Kestrel ignore ASPNETCORE_URLS altogether.
/// Kestrel's endpoint defaults then make that one address HTTP/2 only: an endpoint offering HTTP/1.1 and HTTP/2
/// without TLS has no ALPN to agree on HTTP/2 and speaks HTTP/1.1, which gRPC cannot use. The REST endpoint keeps
/// its defaults, so gRPC is not reachable there. (With HTTP_PORTS, ASP.NET Core logs that the URLs override them:
/// they carry the same ports.)
/// </para>
/// </remarks>
public static class GrpcEndpoint
{
    /// <summary>The variable the AppHost puts the grpc endpoint's port in.</summary>
    public const string PortVariable = "GRPC_PORT";

    /// <summary>Listens on the grpc endpoint when the AppHost gave it a port; without one, catalog serves REST only.</summary>
    public static WebApplicationBuilder AddGrpcEndpoint(this WebApplicationBuilder builder)
    {
        var value = builder.Configuration[PortVariable];
        if (string.IsNullOrEmpty(value))
        {
            return builder;
        }
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is < 1 or > 65535)
        {
            throw new InvalidOperationException($"{PortVariable} must be a TCP port number, not '{value}'.");
        }

        var addresses = HostAddresses(builder.Configuration);
        if (addresses.Count == 0)
        {
            throw new InvalidOperationException(
                $"{PortVariable} is set but no other address is (ASPNETCORE_URLS or HTTP_PORTS): the REST endpoint would be lost.");
        }

        // Same interface as the REST endpoint: loopback when run locally, every interface in a container.
        var host = BindingAddress.Parse(addresses[0]).Host;
        builder.WebHost.UseUrls([.. addresses, $"http://{host}:{port.ToString(CultureInfo.InvariantCulture)}"]);
        builder.WebHost.ConfigureKestrel(kestrel => kestrel.ConfigureEndpointDefaults(listen =>
        {
            if (listen.IPEndPoint?.Port == port)
            {
                listen.Protocols = HttpProtocols.Http2;
            }
        }));
        return builder;
    }

    /// <summary>The addresses the host would bind without us, as ASP.NET Core reads them: URLs first, else ports.</summary>
    private static List<string> HostAddresses(IConfiguration configuration)
    {
        static IEnumerable<string> Split(string? value) =>
            (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var urls = Split(configuration["urls"]).ToList();
        if (urls.Count > 0)
        {
            return urls;
        }
        return
        [
            .. Split(configuration["http_ports"]).Select(p => $"http://*:{p}"),
            .. Split(configuration["https_ports"]).Select(p => $"https://*:{p}"),
        ];
    }
}
