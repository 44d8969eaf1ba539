using System.Net;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Protocols;
using Microsoft.IdentityModel.Tokens;
using Shop.ServiceDefaults.Authentication;

namespace Shop.Tests.Edge;

/// <summary>
/// Every service fetches identity's signing keys right after it starts, so the first request with a token does not
/// pay for the fetch; identity may start later, so a refused fetch is asked again until the keys come.
/// </summary>
public sealed class SigningKeysWarmupTests
{
    /// <summary>Identity's keys as a service sees them: refused <paramref name="failures"/> times, then served.</summary>
    private sealed class KeySource(int failures)
        : ConfigurationManager<OpenIdConnectConfiguration>("http://identity/.well-known/openid-configuration", new OpenIdConnectConfigurationRetriever())
    {
        public int Fetches;
        public int Refreshes;
        public readonly TaskCompletionSource Served = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public override Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
        {
            if (Interlocked.Increment(ref Fetches) <= failures)
            {
                throw new InvalidOperationException("IDX20803: Unable to obtain configuration (connection refused).");
            }
            var configuration = new OpenIdConnectConfiguration();
            configuration.SigningKeys.Add(new SymmetricSecurityKey(new byte[32]) { KeyId = "k1" });
            Served.TrySetResult();
            return Task.FromResult(configuration);
        }

        public override void RequestRefresh() => Interlocked.Increment(ref Refreshes);
    }

    /// <summary>Identity's own key source: keys from its database, not over HTTP.</summary>
    private sealed class LocalKeys : IConfigurationManager<OpenIdConnectConfiguration>
    {
        public int Fetches;
        public Task<OpenIdConnectConfiguration> GetConfigurationAsync(CancellationToken cancel)
        {
            Interlocked.Increment(ref Fetches);
            return Task.FromResult(new OpenIdConnectConfiguration());
        }
        public void RequestRefresh() { }
    }

    private static SigningKeysWarmup Warmup(IConfigurationManager<OpenIdConnectConfiguration> source, Identity? identity = null)
    {
        var options = new JwtBearerOptions { ConfigurationManager = source };
        if (identity is not null)
        {
            options.MetadataAddress = "http://identity/.well-known/openid-configuration";
        }
        var monitor = new StaticOptionsMonitor(options);
        return new SigningKeysWarmup(monitor, identity ?? new Identity(0), TimeProvider.System, NullLogger<SigningKeysWarmup>.Instance);
    }

    /// <summary>Identity's discovery document as the probe client sees it: 503 <paramref name="notReady"/> times, then 200.</summary>
    private sealed class Identity(int notReady) : HttpMessageHandler, IHttpClientFactory
    {
        public int Probes;
        public string? Client;

        public HttpClient CreateClient(string name)
        {
            Client = name;
            return new HttpClient(this, disposeHandler: false);
        }

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
            Task.FromResult(new HttpResponseMessage(Interlocked.Increment(ref Probes) <= notReady
                ? HttpStatusCode.ServiceUnavailable : HttpStatusCode.OK));
    }

    private sealed class StaticOptionsMonitor(JwtBearerOptions options) : IOptionsMonitor<JwtBearerOptions>
    {
        public JwtBearerOptions CurrentValue => options;
        public JwtBearerOptions Get(string? name) => name == JwtBearerDefaults.AuthenticationScheme ? options : new JwtBearerOptions();
        public IDisposable? OnChange(Action<JwtBearerOptions, string?> listener) => null;
    }

    [Fact]
    public async Task Keys_are_fetched_once_at_start_when_identity_answers()
    {
        var source = new KeySource(failures: 0);
        using var warmup = Warmup(source);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await source.Served.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await warmup.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(1, source.Fetches);
        Assert.Equal(0, source.Refreshes);
    }

    [Fact]
    public async Task Until_identity_answers_it_is_asked_quietly_then_the_keys_are_fetched_once()
    {
        var source = new KeySource(failures: 0);
        var identity = new Identity(notReady: 2);
        using var warmup = Warmup(source, identity);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await source.Served.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await warmup.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Two 503s from the probe (the client without retries), then one fetch through JwtBearer's key cache.
        Assert.Equal(SigningKeysWarmup.ProbeClient, identity.Client);
        Assert.Equal(3, identity.Probes);
        Assert.Equal(1, source.Fetches);
        Assert.Equal(0, source.Refreshes);
    }

    [Fact]
    public async Task A_refused_fetch_is_asked_again_with_a_refresh_until_the_keys_come_then_it_stops()
    {
        var source = new KeySource(failures: 2);
        using var warmup = Warmup(source);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await source.Served.Task.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);
        await warmup.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        // Two refusals, each followed by a refresh request, then one success.
        Assert.Equal(3, source.Fetches);
        Assert.Equal(2, source.Refreshes);
    }

    [Fact]
    public async Task Identity_which_reads_its_own_key_store_is_not_warmed()
    {
        var local = new LocalKeys();
        using var warmup = Warmup(local);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await warmup.ExecuteTask!.WaitAsync(TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        Assert.Equal(0, local.Fetches);
    }

    [Fact]
    public async Task Stopping_the_service_ends_the_retries()
    {
        var source = new KeySource(failures: int.MaxValue);
        using var warmup = Warmup(source);

        await warmup.StartAsync(TestContext.Current.CancellationToken);
        await warmup.StopAsync(TestContext.Current.CancellationToken);

        Assert.True(warmup.ExecuteTask!.IsCompleted);
        Assert.False(source.Served.Task.IsCompleted);
        var fetches = source.Fetches;
        await Task.Delay(600, TestContext.Current.CancellationToken);
        Assert.Equal(fetches, source.Fetches);
    }
}
