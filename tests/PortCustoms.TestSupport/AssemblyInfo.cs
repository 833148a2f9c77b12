namespace PortCustoms.TestSupport;
