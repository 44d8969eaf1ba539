using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.ApplicationModel
{
    /// <summary>A PostgreSQL server run as a private local process (Aspire runs the postgres container).</summary>
    public sealed class PostgresServerResource(string name, ParameterResource password) : Resource(name), IResourceWithConnectionString, IResourceWithEndpoints, IResourceWithWaitSupport, IResourceWithEnvironment
    {
        internal const string PrimaryEndpointName = "tcp";
        public override string ResourceType => "Postgres";
        public string UserName => "postgres";
        public ParameterResource PasswordParameter { get; } = password;
        public EndpointReference PrimaryEndpoint => new(this, PrimaryEndpointName);
        internal List<PostgresDatabaseResource> Databases { get; } = [];

        public ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default)
            => ValueTask.FromResult<string?>($"Host={PrimaryEndpoint.Host};Port={PrimaryEndpoint.Port};Username={UserName};Password={PasswordParameter.Value}");
    }

    /// <summary>A database on a <see cref="PostgresServerResource"/>, created when the server is up.</summary>
    public sealed class PostgresDatabaseResource(string name, string databaseName, PostgresServerResource parent) : Resource(name), IResourceWithConnectionString, IResourceWithParent, IResourceWithWaitSupport
    {
        public override string ResourceType => "PostgresDatabase";
        public string DatabaseName { get; } = databaseName;
        public PostgresServerResource Parent { get; } = parent;
        IResource IResourceWithParent.Parent => Parent;

        public async ValueTask<string?> GetConnectionStringAsync(CancellationToken cancellationToken = default)
            => $"{await Parent.GetConnectionStringAsync(cancellationToken).ConfigureAwait(false)};Database={DatabaseName}";
    }
}

namespace Aspire.Hosting
{
    public static class PostgresBuilderExtensions
    {
        public static IResourceBuilder<PostgresServerResource> AddPostgres(this IDistributedApplicationBuilder builder, string name,
            IResourceBuilder<ParameterResource>? password = null, int? port = null)
        {
            var pw = password?.Resource ?? ParameterResourceBuilderExtensions.CreateGeneratedParameter(builder, $"{name}-password");
            return builder.AddResource(new PostgresServerResource(name, pw))
                .WithAnnotation(new EndpointAnnotation(PostgresServerResource.PrimaryEndpointName, "tcp", "tcp", port, isProxied: false));
        }

        public static IResourceBuilder<PostgresDatabaseResource> AddDatabase(this IResourceBuilder<PostgresServerResource> builder, string name, string? databaseName = null)
        {
            var db = new PostgresDatabaseResource(name, databaseName ?? name, builder.Resource);
            builder.Resource.Databases.Add(db);
            return builder.ApplicationBuilder.AddResource(db);
        }

        /// <summary>Data already lives in the state directory across runs; kept for Aspire API parity.</summary>
        public static IResourceBuilder<PostgresServerResource> WithDataVolume(this IResourceBuilder<PostgresServerResource> builder, string? name = null) => builder;
    }
}
