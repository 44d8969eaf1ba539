using Microsoft.Extensions.Http.Resilience;
using Shop.Catalog.Pricing.V1;

namespace Shop.Ordering.Pricing;

/// <summary>
/// Registers <see cref="CatalogPricingClient"/>: catalog's <c>CatalogPricing</c> gRPC service on
/// catalog's endpoint named <c>grpc</c>.
/// </summary>
/// <remarks>
/// The gRPC client is a typed client of IHttpClientFactory, so ServiceDefaults' <c>ConfigureHttpClientDefaults</c> gives
/// its HttpClient service discovery (<see cref="Address"/>) and the standard resilience pipeline, which this client
/// has in its own instance, tuned (<see cref="ConfigureResilience"/>). The pipeline sees transport failures: connection refused or reset,
/// timeouts, an open circuit. A gRPC error status arrives in a 200 response and is not a failure to it (nor retried).
/// </remarks>
public static class CatalogPricingExtensions
{
    /// <summary>The IHttpClientFactory name; its standard pipeline and that pipeline's options are "catalog-pricing-standard".</summary>
    public const string ClientName = "catalog-pricing";

    /// <summary>Service discovery's syntax for endpoint <c>grpc</c> of service <c>catalog</c> (services__catalog__grpc__0).</summary>
    public static readonly Uri Address = new("http://_grpc.catalog");

    /// <summary>
    /// One try. A warm catalog answers in milliseconds, but the first call of a freshly started pair of processes
    /// (JIT, the HTTP/2 connection, EF's first query) took just over 1 s on a loaded two-core machine: 1 s would turn
    /// that into a failed order.
    /// </summary>
    public static readonly TimeSpan AttemptTimeout = TimeSpan.FromSeconds(2);

    /// <summary>A call gives up after this, retries included: an order waits for its prices at most this long.</summary>
    public static readonly TimeSpan TotalTimeout = TimeSpan.FromSeconds(5);

    /// <summary>How long an open circuit fails calls at once before letting one through to probe catalog.</summary>
    public static readonly TimeSpan BreakDuration = TimeSpan.FromSeconds(5);

    public static IHostApplicationBuilder AddCatalogPricing(this IHostApplicationBuilder builder)
    {
        var client = builder.Services.AddGrpcClient<CatalogPricing.CatalogPricingClient>(ClientName, options => options.Address = Address);
        client.AddStandardResilienceHandler(ConfigureResilience);
        client.ConfigureAdditionalHttpMessageHandlers(KeepOwnPipelineOnly);
        builder.Services.AddTransient<CatalogPricingClient>();
        return builder;
    }

    /// <summary>
    /// ConfigureHttpClientDefaults' pipeline has no client name: its options, and its circuit, are one for every client
    /// of the process and cannot be tuned for this one. This client's own pipeline (added last) takes its place, first
    /// in the chain as the default one was, so it wraps service discovery: each retry resolves the address again.
    /// </summary>
    /// <remarks>The stable equivalent of the experimental RemoveAllResilienceHandlers, which would also leave ours
    /// inside service discovery. Runs after the defaults' handlers were added (AddServiceDefaults comes first).</remarks>
    private static void KeepOwnPipelineOnly(IList<DelegatingHandler> handlers, IServiceProvider services)
    {
        var own = handlers.OfType<ResilienceHandler>().Last();
        for (var i = handlers.Count - 1; i >= 0; i--)
        {
            if (handlers[i] is ResilienceHandler)
            {
                handlers.RemoveAt(i);
            }
        }
        handlers.Insert(0, own);
    }

    /// <summary>
    /// The standard pipeline, tightened for a call an HTTP request waits on. The defaults (10 s per attempt, 30 s in
    /// all, backoff from 2 s, a circuit that needs 100 calls in 30 s to judge) would keep a customer waiting half a
    /// minute for a catalog that is down. Here: 2 s per attempt, 5 s in all, two quick retries, and a circuit that
    /// opens after a handful of failures (a stopped catalog refuses at once, so that is the second call); while it
    /// is open a call fails at once, without touching the network.
    /// </summary>
    public static void ConfigureResilience(HttpStandardResilienceOptions options)
    {
        options.AttemptTimeout.Timeout = AttemptTimeout;
        options.TotalRequestTimeout.Timeout = TotalTimeout;

        options.Retry.MaxRetryAttempts = 2;
        options.Retry.Delay = TimeSpan.FromMilliseconds(100);

        options.CircuitBreaker.MinimumThroughput = 4;
        options.CircuitBreaker.FailureRatio = 0.5;
        // The pipeline's validation wants at least twice the attempt timeout.
        options.CircuitBreaker.SamplingDuration = TimeSpan.FromSeconds(10);
        options.CircuitBreaker.BreakDuration = BreakDuration;
    }
}
