using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.Repositories;
using Microsoft.Extensions.Options;
using NewsPortal.Web.Data;
using NewsPortal.Web.Shared;
using StackExchange.Redis;

namespace NewsPortal.Web.Accounts;

/// <summary>
/// Encrypts the key ring at rest with a certificate (<c>DataProtection:Certificate</c>). The keys sign every session
/// cookie, antiforgery token and preview link; stored plain, anyone who can read the keys folder or the shared Redis can
/// forge an editor's session. Keys an earlier certificate encrypted stay readable while it is named in
/// <c>DataProtection:PreviousCertificates</c>, so replacing the certificate signs nobody out.
/// </summary>
public static class KeyRingCertificates
{
    public static IDataProtectionBuilder ProtectKeysWithConfiguredCertificate(this IDataProtectionBuilder builder, IConfiguration configuration, string contentRoot)
    {
        var password = configuration["DataProtection:CertificatePassword"];
        var previous = Setting.List(configuration, "DataProtection:PreviousCertificates")
            .Select(file => Load("DataProtection:PreviousCertificates", Path.GetFullPath(file, contentRoot), password))
            .ToArray();

        // Given to the library as files: on Linux it would otherwise look for an earlier certificate in the user's
        // certificate store, which holds none. Previous certificates alone (no current one) read the keys they
        // encrypted while new keys are stored plain: how a site stops encrypting without signing anyone out.
        builder.UnprotectKeysWithAnyCertificate(previous);
        if (configuration["DataProtection:Certificate"] is { Length: > 0 } path)
        {
            builder.ProtectKeysWithCertificate(Load("DataProtection:Certificate", Path.GetFullPath(path, contentRoot), password));
        }

        return builder;
    }

    /// <summary>
    /// Stops the start when the key ring holds a key still in use that this node cannot read, because the certificate
    /// that encrypted it is not configured. Started anyway, the node would make a new key, stored plain without a
    /// certificate, which every node then signs with: the ring would no longer be encrypted, and every editor signed
    /// in on another node would be signed out here. An expired key is only kept to read older cookies and is let be.
    /// </summary>
    public static void EnsureKeysReadable(IServiceProvider services, string? redisConfiguration)
    {
        var now = services.GetRequiredService<TimeProvider>().GetUtcNow();
        IReadOnlyCollection<IKey> keys;
        try
        {
            keys = services.GetRequiredService<IKeyManager>().GetAllKeys();
        }
        catch (Exception ex) when (ex is RedisException or TimeoutException)
        {
            // A password Redis refuses will not come right by waiting, as an outage does. The read may say so only as a
            // timeout (its command waited for a connection that never signed in: StackExchange.Redis#2386, seen on a
            // busy CI machine), so a connection of its own, which says why it could not connect, asks once more.
            if ((Refusal(ex) ?? (redisConfiguration is null ? null : RefusalOfOwnConnection(redisConfiguration))) is { } refusal)
            {
                throw new SettingException($"Redis refused the credentials in ConnectionStrings:Redis ({refusal.TrimEnd('.')}): "
                    + "set its password= (and user=, where Redis has users) there.", ex);
            }

            // A node starts while Redis is away (readers get their pages); its keys are checked at its next start.
            services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(KeyRingCertificates))
                .LogWarning("The key ring could not be read to check it at start: {Reason}", ex.Message);
            return;
        }

        var unreadable = keys.Where(key => !key.IsRevoked && key.ExpirationDate > now && !IsReadable(key)).Select(key => key.KeyId).ToList();
        if (unreadable.Count == 0)
        {
            return;
        }

        var stored = services.GetRequiredService<IOptions<KeyManagementOptions>>().Value.XmlRepository is FileSystemXmlRepository files
            ? $"the files in {files.Directory.FullName}"
            : "the Redis key ending in data-protection-keys";
        throw new SettingException(
            $"the key ring holds {unreadable.Count} key(s) in use that no configured certificate can read ({string.Join(", ", unreadable)}). " +
            "Name the certificate that encrypted them in DataProtection:Certificate, or in DataProtection:PreviousCertificates if it has been " +
            $"replaced. Only to start a new key ring, signing every editor out, delete {stored}.");
    }

    /// <summary>Why Redis refused the credentials, when that is what <paramref name="exception"/> reports.</summary>
    private static string? Refusal(Exception exception)
        => StoreDialect.CausesOf(exception).OfType<RedisConnectionException>().Any(e => e.FailureType == ConnectionFailureType.AuthenticationFailure)
            ? StoreDialect.CausesOf(exception).Last().Message
            : null;

    /// <summary>
    /// Connects once, giving up rather than waiting for Redis (within its connect timeout), and says why Redis refused
    /// the credentials if it did; null when it connected or failed for another reason (an outage, which a node starts through).
    /// </summary>
    private static string? RefusalOfOwnConnection(string configuration)
    {
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = true;
        try
        {
            using var connection = ConnectionMultiplexer.Connect(options);
            return null;
        }
        catch (RedisException ex)
        {
            return Refusal(ex);
        }
    }

    private static bool IsReadable(IKey key)
    {
        try
        {
            return key.Descriptor is not null;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    private static X509Certificate2 Load(string setting, string path, string? password)
    {
        if (!File.Exists(path))
        {
            throw new SettingException($"{setting} names {path}, which is not a file: it must be a PKCS#12 (.pfx) file holding a certificate and its RSA private key.");
        }

        X509Certificate2 certificate;
        try
        {
            certificate = X509CertificateLoader.LoadPkcs12FromFile(path, password);
        }
        catch (CryptographicException ex)
        {
            throw new SettingException($"{setting}: {path} could not be read as a PKCS#12 (.pfx) file with DataProtection:CertificatePassword ({ex.Message.TrimEnd('.')}).", ex);
        }

        // Keys are encrypted with the certificate's RSA key (XML encryption); another kind of key would fail at the
        // first new key, which is in the middle of someone's request.
        using var rsa = certificate.GetRSAPrivateKey();
        if (rsa is null)
        {
            throw new SettingException($"{setting}: {path} holds no RSA private key; the key ring is encrypted with one.");
        }

        return certificate;
    }
}
