namespace Aspire.Hosting;

/// <summary>Options for the app host, as Aspire's DistributedApplicationOptions, plus what the local runtime needs.</summary>
public sealed class DistributedApplicationOptions
{
    public string[] Args { get; set; } = [];

    /// <summary>Run without the dashboard (tests do, as Aspire.Hosting.Testing does).</summary>
    public bool DisableDashboard { get; set; }

    /// <summary>Give every endpoint a free port instead of its fixed one, so several instances can run side by side.</summary>
    public bool RandomizePorts { get; set; }

    /// <summary>Where servers keep their data and the generated secrets live. Null: a per-checkout default.</summary>
    public string? StateDirectory { get; set; }

    /// <summary>Delete <see cref="StateDirectory"/> when the application is disposed (tests).</summary>
    public bool DeleteStateOnDispose { get; set; }

    /// <summary>Set by the testing builder: the entry point is being run to capture the model.</summary>
    internal bool IsTesting { get; set; }
}
