namespace QwenFunctions.Tests.Hosting;

/// <summary>The checkout the tests run from: the first folder above the test output that holds QwenFunctions.sln.</summary>
public static class RepositoryRoot
{
    public static string Path { get; } = Find();

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "QwenFunctions.sln")))
            {
                return directory.FullName;
            }
        }

        throw new DirectoryNotFoundException("No folder above the test output holds QwenFunctions.sln.");
    }
}
