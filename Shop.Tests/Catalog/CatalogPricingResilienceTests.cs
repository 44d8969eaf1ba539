using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Shop.Ordering.Pricing;

namespace Shop.Tests.Catalog;

/// <summary>
/// Ordering's catalog pricing client when catalog is down or hangs: it fails with
/// <see cref="CatalogUnavailableException"/> within its total timeout, and at once while its circuit is open, so an
/// order answers 503 with Retry-After instead of hanging. No AppHost needed: catalog is played by a socket.
/// </summary>
public sealed class CatalogPricingResilienceTests
{
    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task with_catalog_stopped_calls_fail_and_once_the_circuit_is_open_they_fail_at_once_with_its_retry_after()
    {
        // What a stopped catalog looks like under the AppHost: its proxy accepts and closes every connection.
        using var proxy = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        proxy.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        proxy.Listen(16);
        using var closing = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        var acceptor = Task.Run(async () =>
        {
            while (!closing.IsCancellationRequested)
            {
                using var connection = await proxy.AcceptAsync(closing.Token);
                connection.Close();
            }
        }, closing.Token);
        using var pricing = new PricingClientHost(new Uri($"http://127.0.0.1:{((IPEndPoint)proxy.LocalEndPoint!).Port}"));

        var failures = new List<(TimeSpan Elapsed, CatalogUnavailableException Error)>();
        for (var i = 0; i < 6; i++)
        {
            var watch = Stopwatch.StartNew();
            var error = await Assert.ThrowsAsync<CatalogUnavailableException>(() => pricing.Client.GetPricesAsync([1, 2], Ct));
            failures.Add((watch.Elapsed, error));
        }

        Assert.All(failures, f => Assert.True(f.Elapsed < CatalogPricingExtensions.TotalTimeout, $"a call took {f.Elapsed}"));
        // The circuit opens within the first calls; from then on no connection is even tried.
        var open = failures.Skip(3).ToList();
        Assert.All(open, f => Assert.True(f.Elapsed < TimeSpan.FromMilliseconds(300), $"a call with the circuit open took {f.Elapsed}"));
        Assert.All(open, f => Assert.InRange(f.Error.RetryAfter, TimeSpan.FromMilliseconds(1), CatalogPricingExtensions.BreakDuration));
        await closing.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => acceptor);
    }

    [Fact]
    public async Task with_catalog_hanging_a_call_gives_up_at_its_total_timeout()
    {
        // Connections complete (the kernel's backlog) but nothing ever answers: the HTTP/2 handshake never ends.
        using var silent = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        silent.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        silent.Listen(16);
        using var pricing = new PricingClientHost(new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndPoint!).Port}"));

        var watch = Stopwatch.StartNew();
        var error = await Assert.ThrowsAsync<CatalogUnavailableException>(() => pricing.Client.GetPricesAsync([1], Ct));

        Assert.InRange(watch.Elapsed, CatalogPricingExtensions.AttemptTimeout, CatalogPricingExtensions.TotalTimeout + TimeSpan.FromSeconds(1.5));
        Assert.True(error.RetryAfter > TimeSpan.Zero);
    }
}
