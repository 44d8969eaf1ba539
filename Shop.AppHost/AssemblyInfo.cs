// The local runtime drives Linux processes (setsid, setpriv, apt, signals); real Aspire is the way elsewhere.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
