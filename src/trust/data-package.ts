// A TAK data package for one device: the zip that ATAK, iTAK and WinTAK import to connect in one step.
// Its layout follows the public examples of pvarki/python-tak-rmapi (templates/tak_missionpkg/default/
// itak/server.pref.tpl and .../MANIFEST/manifest.xml.tpl): MANIFEST/manifest.xml listing the entries,
// a preference file with the connection ("host:port:ssl" in cot_streams) and the certificate locations
// and passwords (com.atakmap.app_preferences), the CA as a truststore and the device's client
// certificate and key, both as PKCS#12 files.
import { randomBytes, randomUUID } from 'node:crypto';
import JSZip from 'jszip';
import { LinderoError } from '../model/index.js';
import { pkcs12 } from './authority.js';

export interface DataPackageOptions {
  device: string;
  /** The server's address as the device reaches it. */
  host: string;
  /** CoT over TLS port (default 8089). */
  port: number;
  caPem: string;
  certPem: string;
  keyPem: string;
}

export interface DataPackage {
  zip: Buffer;
  /** Protects both PKCS#12 files; also in the preference file, so the package itself is the secret. */
  password: string;
  entries: { manifest: string; prefs: string; truststore: string; clientCert: string };
}

const HOST_PATTERN = /^[A-Za-z0-9.:-]{1,253}$/;

function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function entry(key: string, type: 'String' | 'Boolean' | 'Integer', value: string): string {
  return `      <entry key="${key}" class="class java.lang.${type}">${escapeXml(value)}</entry>`;
}

function prefs(o: DataPackageOptions, truststore: string, clientCert: string, password: string): string {
  return [
    '<?xml version="1.0" encoding="ASCII" standalone="yes"?>',
    '<preferences>',
    '   <preference version="1" name="cot_streams">',
    entry('count', 'Integer', '1'),
    entry('description0', 'String', `lindero (${o.device})`),
    entry('enabled0', 'Boolean', 'true'),
    entry('connectString0', 'String', `${o.host}:${o.port}:ssl`),
    '   </preference>',
    '   <preference version="1" name="com.atakmap.app_preferences">',
    entry('displayServerConnectionWidget', 'Boolean', 'true'),
    entry('caLocation', 'String', `cert/${truststore}`),
    entry('caPassword', 'String', password),
    entry('certificateLocation', 'String', `cert/${clientCert}`),
    entry('clientPassword', 'String', password),
    '   </preference>',
    '</preferences>',
    '',
  ].join('\n');
}

function manifest(o: DataPackageOptions, files: string[]): string {
  return [
    '<MissionPackageManifest version="2">',
    '   <Configuration>',
    `      <Parameter name="uid" value="${randomUUID()}"/>`,
    `      <Parameter name="name" value="${escapeXml(`lindero-${o.device}`)}"/>`,
    // The package holds a private key: the client deletes it once imported.
    '      <Parameter name="onReceiveDelete" value="true"/>',
    '   </Configuration>',
    '   <Contents>',
    ...files.map((f) => `      <Content ignore="false" zipEntry="${escapeXml(f)}"/>`),
    '   </Contents>',
    '</MissionPackageManifest>',
    '',
  ].join('\n');
}

export async function takDataPackage(o: DataPackageOptions): Promise<DataPackage> {
  if (!HOST_PATTERN.test(o.host)) {
    throw new LinderoError('usage', `the server address must be a host name or IP address as the device reaches it, not ${JSON.stringify(o.host)}`, { field: 'host' });
  }
  // 18 random bytes: 24 characters a person can type into a client that asks for it.
  const password = randomBytes(18).toString('base64url');
  const entries = { manifest: 'MANIFEST/manifest.xml', prefs: 'server.pref', truststore: 'truststore-lindero.p12', clientCert: `${o.device}.p12` };
  const zip = new JSZip();
  zip.file(entries.prefs, prefs(o, entries.truststore, entries.clientCert, password));
  zip.file(entries.truststore, pkcs12(password, [o.caPem], null, 'lindero CA'));
  zip.file(entries.clientCert, pkcs12(password, [o.certPem, o.caPem], o.keyPem, o.device));
  zip.file(entries.manifest, manifest(o, [entries.prefs, entries.truststore, entries.clientCert]));
  const bytes = await zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
  return { zip: bytes, password, entries };
}
