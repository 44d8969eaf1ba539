// Run mode starts the servers as processes installed with apt-get: the AppHost runs on Debian-like Linux.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
