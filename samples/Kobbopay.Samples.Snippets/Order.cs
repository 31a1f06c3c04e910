namespace Shop;

public sealed record Order(string Id, decimal Total);
