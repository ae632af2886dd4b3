var builder = WebApplication.CreateBuilder(args);
    BaseAddress = new Uri(baseUrlConfig!.WebBase)
var app = builder.Build();
app.Run();
