using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.DataProtection;
using NewsPortal.Web.Shared;

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
        if (configuration["DataProtection:Certificate"] is not { Length: > 0 } path)
        {
            return builder;
        }

        var password = configuration["DataProtection:CertificatePassword"];
        var current = Load("DataProtection:Certificate", Path.GetFullPath(path, contentRoot), password);
        var previous = (configuration["DataProtection:PreviousCertificates"] ?? "")
            .Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(file => Load("DataProtection:PreviousCertificates", Path.GetFullPath(file, contentRoot), password));

        // Given to the library as files: on Linux it would otherwise look for an earlier certificate in the user's
        // certificate store, which holds none.
        return builder.ProtectKeysWithCertificate(current).UnprotectKeysWithAnyCertificate([.. previous]);
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
