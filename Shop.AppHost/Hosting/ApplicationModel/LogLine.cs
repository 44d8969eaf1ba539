namespace Aspire.Hosting.ApplicationModel;

/// <summary>One line of a resource's console output (stdout, or stderr when <see cref="IsErrorMessage"/>).</summary>
public readonly record struct LogLine(long LineNumber, DateTimeOffset Timestamp, string Content, bool IsErrorMessage);
