using Shop.AppHost.Runtime;
using Aspire.Hosting.ApplicationModel;

namespace Aspire.Hosting.ApplicationModel
{
    /// <summary>A value from configuration (Parameters:{name}), or generated and kept in the state directory.</summary>
    public sealed class ParameterResource : Resource, IValueProvider, IManifestExpressionProvider
    {
        private readonly Func<string> _valueFactory;
        private readonly Lazy<string> _value;

        public ParameterResource(string name, Func<string> valueFactory, bool secret) : base(name)
        {
            _valueFactory = valueFactory;
            _value = new(() => _valueFactory(), LazyThreadSafetyMode.ExecutionAndPublication);
            Secret = secret;
        }

        public bool Secret { get; }
        public override string ResourceType => "Parameter";
        /// <summary>The value; resolving it may generate and persist a secret.</summary>
        public string Value => _value.Value;
        public ValueTask<string?> GetValueAsync(CancellationToken cancellationToken = default) => ValueTask.FromResult<string?>(Value);
        public string ValueExpression => $"{{{Name}.value}}";
    }
}

namespace Aspire.Hosting
{
    public static class ParameterResourceBuilderExtensions
    {
        /// <summary>A parameter read from configuration key Parameters:{name}; starting without it is an error naming the key.</summary>
        public static IResourceBuilder<ParameterResource> AddParameter(this IDistributedApplicationBuilder builder, string name, bool secret = false)
        {
            var configuration = builder.Configuration;
            return builder.AddResource(new ParameterResource(name, () => configuration[$"Parameters:{name}"]
                ?? throw new DistributedApplicationException(
                    $"Parameter resource '{name}' has no value: set configuration key 'Parameters:{name}' (e.g. environment variable Parameters__{name})."),
                secret));
        }

        /// <summary>A parameter from configuration, or else generated once and kept owner-only in the state directory.</summary>
        public static IResourceBuilder<ParameterResource> AddGeneratedParameter(this IDistributedApplicationBuilder builder, string name, bool secret = true)
            => builder.AddResource(CreateGeneratedParameter(builder, name, secret));

        internal static ParameterResource CreateGeneratedParameter(IDistributedApplicationBuilder builder, string name, bool secret = true)
        {
            var configuration = builder.Configuration;
            var store = SecretStoreAccessor.For(builder);
            return new ParameterResource(name, () => configuration[$"Parameters:{name}"] ?? store.Value.GetOrCreate(name), secret);
        }
    }
}
