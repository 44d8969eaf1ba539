using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.ApplicationModel
{
    /// <summary>A RabbitMQ node run as a private local process.</summary>
    public sealed class RabbitMQServerResource(string name, ParameterResource userName, ParameterResource password) : Resource(name), IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithWaitSupport, IResourceWithEnvironment
    {
        internal const string PrimaryEndpointName = "tcp";
        internal const string ManagementEndpointName = "management";
        public override string ResourceType => "RabbitMQ";
        public ParameterResource UserNameParameter { get; } = userName;
        public ParameterResource PasswordParameter { get; } = password;
        public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);
        public bool ManagementPluginEnabled => Annotations.OfType<EndpointAnnotation>().Any(e => e.Name == ManagementEndpointName);

        public ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default)
            => ValueTask.FromResult<string?>(
                $"amqp://{Uri.EscapeDataString(UserNameParameter.Value)}:{Uri.EscapeDataString(PasswordParameter.Value)}@{PrimaryEndpoint.Host}:{PrimaryEndpoint.Port}");
    }
}

namespace Aspire.Hosting
{
    public static class RabbitMQBuilderExtensions
    {
        public static IResourceBuilder<RabbitMQServerResource> AddRabbitMQ(this IDistributedApplicationBuilder builder, string name,
            IResourceBuilder<ParameterResource>? userName = null, IResourceBuilder<ParameterResource>? password = null, int? port = null)
        {
            var user = userName?.Resource ?? new ParameterResource($"{name}-username", () => "guest", secret: false);
            var pw = password?.Resource ?? ParameterResourceBuilderExtensions.CreateGeneratedParameter(builder, $"{name}-password");
            return builder.AddResource(new RabbitMQServerResource(name, user, pw))
                .WithAnnotation(new EndpointAnnotation(RabbitMQServerResource.PrimaryEndpointName, "tcp", "tcp", port, isProxied: false));
        }

        /// <summary>Turns on the management plugin (HTTP UI and API) on its own endpoint.</summary>
        public static IResourceBuilder<RabbitMQServerResource> WithManagementPlugin(this IResourceBuilder<RabbitMQServerResource> builder, int? port = null)
            => builder.WithAnnotation(new EndpointAnnotation(RabbitMQServerResource.ManagementEndpointName, "http", "http", port, isProxied: false));
    }
}
