using System.Net;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.ServiceDiscovery;
using Yarp.ReverseProxy.Configuration;
using Yarp.ReverseProxy.ServiceDiscovery;

namespace Shop.Gateway;

/// <summary>
/// Lets a YARP destination address name a service (<c>http://catalog</c>) instead of a host and port: each address is
/// resolved through Microsoft.Extensions.ServiceDiscovery (configuration <c>services:catalog:http:N</c> as injected by
/// the AppHost), giving one destination per endpoint, so replicas are load-balanced and health-checked by YARP.
/// Stands in for Microsoft.Extensions.ServiceDiscovery.Yarp, written while the package feed lacked it; the feed serves it
/// now (11.0.0) and this file goes when the gateway moves to it (issue 25).
/// </summary>
internal sealed class ServiceDiscoveryDestinationResolver(ServiceEndpointResolver resolver) : IDestinationResolver
{
    public async ValueTask<ResolvedDestinationCollection> ResolveDestinationsAsync(
        IReadOnlyDictionary<string, DestinationConfig> destinations, CancellationToken cancellationToken)
    {
        var resolved = new Dictionary<string, DestinationConfig>();
        var changeTokens = new List<IChangeToken>();
        foreach (var (name, destination) in destinations)
        {
            var address = new Uri(destination.Address);
            var source = await resolver.GetEndpointsAsync(address.GetLeftPart(UriPartial.Authority), cancellationToken);
            changeTokens.Add(source.ChangeToken);
            foreach (var endpoint in source.Endpoints)
            {
                var uri = ToUri(address, endpoint.EndPoint);
                // The name keeps the endpoint so YARP's logs and health state tell replicas apart.
                resolved[$"{name}[{uri.Authority}]"] = destination with { Address = uri.ToString() };
            }
        }
        // When any source changes (configuration reload, replicas added), YARP asks again.
        return new ResolvedDestinationCollection(resolved, new CompositeChangeToken(changeTokens));
    }

    // Keeps the configured scheme and path; only the host and port come from discovery.
    private static Uri ToUri(Uri address, EndPoint endPoint)
    {
        var builder = new UriBuilder(address);
        switch (endPoint)
        {
            case UriEndPoint { Uri: var uri }:
                builder.Scheme = uri.Scheme;
                builder.Host = uri.Host;
                builder.Port = uri.Port;
                break;
            case IPEndPoint ip:
                builder.Host = ip.Address.ToString();
                builder.Port = ip.Port;
                break;
            case DnsEndPoint dns:
                builder.Host = dns.Host;
                builder.Port = dns.Port;
                break;
            default:
                throw new InvalidOperationException($"Service discovery returned an unsupported endpoint '{endPoint}' for '{address}'.");
        }
        return builder.Uri;
    }
}
