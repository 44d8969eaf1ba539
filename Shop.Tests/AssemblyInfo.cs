// The tests drive the local runtime, which is Linux-only (like the AppHost it tests).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
