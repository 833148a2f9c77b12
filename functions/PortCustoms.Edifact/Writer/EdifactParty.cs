namespace PortCustoms.Edifact;

/// <summary>An interchange party as UNB writes it: S002 (sender) or S003 (recipient).</summary>
/// <param name="Identification">0004 / 0010.</param>
/// <param name="CodeQualifier">0007, or empty.</param>
/// <param name="RoutingAddress">0008 / 0014, or empty.</param>
public readonly record struct EdifactParty(string Identification, string CodeQualifier = "", string RoutingAddress = "");
