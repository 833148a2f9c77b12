namespace PortCustoms.Infra.Tests;
