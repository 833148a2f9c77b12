namespace PortCustoms.Edifact.Tests;
