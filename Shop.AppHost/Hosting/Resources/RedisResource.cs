using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.ApplicationModel
{
    /// <summary>A Redis server run as a private local process; always password-protected, as in Aspire.</summary>
    public sealed class RedisResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithWaitSupport, IResourceWithEnvironment
    {
        internal const string PrimaryEndpointName = "tcp";
        public override string ResourceType => "Redis";
        public ParameterResource PasswordParameter { get; } = password;
        public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);

        public ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default)
            => ValueTask.FromResult<string?>($"{PrimaryEndpoint.Host}:{PrimaryEndpoint.Port},password={PasswordParameter.Value}");
    }
}

namespace Aspire.Hosting
{
    public static class RedisBuilderExtensions
    {
        public static IResourceBuilder<RedisResource> AddRedis(this IDistributedApplicationBuilder builder, string name, int? port = null,
            IResourceBuilder<ParameterResource>? password = null)
        {
            var pw = password?.Resource ?? ParameterResourceBuilderExtensions.CreateGeneratedParameter(builder, $"{name}-password");
            return builder.AddResource(new RedisResource(name, pw))
                .WithAnnotation(new EndpointAnnotation(RedisResource.PrimaryEndpointName, "tcp", "tcp", port, isProxied: false));
        }
    }
}
