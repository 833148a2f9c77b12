namespace PortCustoms.Cloud;
