using System.Diagnostics.CodeAnalysis;

// "Structure" is the domain word (ISO 9735 message structure) and the folder's name; it is a keyword only in
// Visual Basic, and this library has no VB consumers.
[assembly: SuppressMessage(
    "Naming",
    "CA1716:Identifiers should not match keywords",
    Justification = "Domain word; a keyword only in Visual Basic.",
    Scope = "namespace",
    Target = "~N:PortCustoms.Edifact.Structure")]
