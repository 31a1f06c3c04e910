using Kobbopay.Cli;

// kobbopay: the operations CLI. Everything it does is CliApp.RunAsync, which the tests call in process.
CliContext context = new(Console.Out, Console.Error, Environment.GetEnvironmentVariable)
{
    ErrorIsTerminal = !Console.IsErrorRedirected,
};
return await CliApp.RunAsync(args, context);
