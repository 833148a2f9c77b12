namespace PortCustoms.Cloud.Tests;
