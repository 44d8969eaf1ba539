using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting
{
    /// <summary>Describes a .NET project of the solution; the AppHost's build generates one Projects.{Name} class per project reference.</summary>
    public interface IProjectMetadata
    {
        string ProjectPath { get; }
        LaunchSettings? LaunchSettings => null;
        bool SuppressBuild => true;
    }

    /// <summary>Where the build put the project's assembly; generated beside <see cref="IProjectMetadata"/>.</summary>
    public interface IProjectOutputMetadata : IProjectMetadata
    {
        string TargetPath { get; }
    }

    public sealed class LaunchSettings;
}

namespace Aspire.Hosting.ApplicationModel
{
    /// <summary>A .NET project run from its build output, one process per replica, behind a proxy per endpoint.</summary>
    public sealed class ProjectResource(string name, IProjectMetadata metadata) : Resource(name), IResourceWithEnvironment, IResourceWithArgs, IResourceWithServiceDiscovery, IResourceWithWaitSupport
    {
        public override string ResourceType => "Project";
        public IProjectMetadata Metadata { get; } = metadata;
        public int Replicas => Annotations.OfType<ReplicaAnnotation>().LastOrDefault()?.Replicas ?? 1;

        public EndpointReference GetEndpoint(string name) => new(this, name);
    }
}

namespace Aspire.Hosting
{
    public static class ProjectResourceBuilderExtensions
    {
        /// <summary>Adds a project of the solution, with an http endpoint its process serves on ASPNETCORE_URLS.</summary>
        public static IResourceBuilder<ProjectResource> AddProject<TProject>(this IDistributedApplicationBuilder builder, string name)
            where TProject : IProjectMetadata, new()
            => builder.AddProject(name, new TProject());

        public static IResourceBuilder<ProjectResource> AddProject(this IDistributedApplicationBuilder builder, string name, IProjectMetadata metadata)
            => builder.AddResource(new ProjectResource(name, metadata))
                .WithAnnotation(new EndpointAnnotation("http", "http", "http"));

        /// <summary>Runs <paramref name="replicas"/> processes behind the same endpoints, round-robin.</summary>
        public static IResourceBuilder<ProjectResource> WithReplicas(this IResourceBuilder<ProjectResource> builder, int replicas)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(replicas, 1);
            return builder.WithAnnotation(new ReplicaAnnotation(replicas));
        }
    }
}
