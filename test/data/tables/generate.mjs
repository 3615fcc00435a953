#!/usr/bin/env node
// node test/data/tables/generate.mjs: rewrites exports/, headers.json
// and EXPECTED.json, byte for byte the same each run (no clock, no randomness).
//
// One small export per catalogued table, written from the table's documented
// schema (README.md cites each), in the shape a responder would export it:
// Log Analytics portal CSV, Defender advanced hunting CSV, Defender streaming
// API JSON lines (`category`), Sentinel data export JSON lines (`Type`), the
// az CLI's JSON array, the REST API's query answer. Each holds clean rows, a
// near miss (179.43.139.840) in the same address column, and one or more C2
// addresses (179.43.139.84, 179.43.139.86) where a user expects a hit.
// EXPECTED.json says where each planted hit is.

import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
// the exports alone in their folder, so a walk of it meets no file that is not an export
const EXPORTS = join(HERE, 'exports');
const words = (text) => text.trim().split(/\s+/);

// ------------------------------------------------------------------ documented headers
// Doc order. Device tables: learn.microsoft.com/defender-xdr/advanced-hunting-*-table;
// the others: learn.microsoft.com/azure/azure-monitor/reference/tables/* and the
// ASIM schema files of Azure/Azure-Sentinel (see README.md).
const IP_ACCOUNT = 'InitiatingProcessAccountDomain InitiatingProcessAccountName InitiatingProcessAccountSid InitiatingProcessAccountUpn InitiatingProcessAccountObjectId';
const IP_VERSION = 'InitiatingProcessVersionInfoCompanyName InitiatingProcessVersionInfoProductName InitiatingProcessVersionInfoProductVersion InitiatingProcessVersionInfoInternalFileName InitiatingProcessVersionInfoOriginalFileName InitiatingProcessVersionInfoFileDescription';
const IP_SESSION = 'InitiatingProcessSessionId IsInitiatingProcessRemoteSession InitiatingProcessRemoteSessionDeviceName InitiatingProcessRemoteSessionIP';

export const HEADERS = {
  CommonSecurityLog: words(`TenantId SourceSystem TimeGenerated ReceiptTime DeviceVendor DeviceProduct DeviceEventClassID LogSeverity
    OriginalLogSeverity DeviceAction SimplifiedDeviceAction Computer CommunicationDirection DeviceFacility DestinationPort
    DestinationIP DeviceAddress DeviceName Message Protocol SourcePort SourceIP RemoteIP RemotePort MaliciousIP ThreatSeverity
    IndicatorThreatType ThreatDescription ThreatConfidence ReportReferenceLink MaliciousIPLongitude MaliciousIPLatitude
    MaliciousIPCountry DeviceVersion Activity ApplicationProtocol EventCount DestinationDnsDomain DestinationServiceName
    DestinationTranslatedAddress DestinationTranslatedPort DeviceDnsDomain DeviceExternalID DeviceInboundInterface DeviceNtDomain
    DeviceOutboundInterface DevicePayloadId ProcessName DeviceTranslatedAddress DestinationHostName DestinationMACAddress
    DestinationNTDomain DestinationProcessId DestinationUserPrivileges DestinationProcessName DeviceTimeZone DestinationUserID
    DestinationUserName DeviceMacAddress ProcessID ExternalID FileCreateTime FileHash FileID FileModificationTime FilePath
    FilePermission FileType FileName FileSize ReceivedBytes SentBytes RequestURL RequestClientApplication RequestContext
    RequestCookies RequestMethod SourceHostName SourceMACAddress SourceNTDomain SourceDnsDomain SourceServiceName
    SourceTranslatedAddress SourceTranslatedPort SourceProcessId SourceUserPrivileges SourceProcessName SourceUserID SourceUserName
    EventType AdditionalExtensions StartTime EndTime Type _ResourceId`),
  DeviceNetworkEvents: words(`Timestamp DeviceId DeviceName ActionType RemoteIP RemotePort RemoteUrl LocalIP LocalPort Protocol
    LocalIPType RemoteIPType InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName
    InitiatingProcessFileSize ${IP_VERSION} InitiatingProcessId InitiatingProcessCommandLine InitiatingProcessCreationTime
    InitiatingProcessFolderPath InitiatingProcessParentFileName InitiatingProcessParentId InitiatingProcessParentCreationTime
    ${IP_ACCOUNT} InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation ReportId AppGuardContainerId AdditionalFields ${IP_SESSION}`),
  DeviceLogonEvents: words(`Timestamp DeviceId DeviceName ActionType LogonType AccountDomain AccountName AccountSid Protocol
    FailureReason IsLocalAdmin LogonId RemoteDeviceName RemoteIP RemoteIPType RemotePort ${IP_ACCOUNT}
    InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation InitiatingProcessSHA1 InitiatingProcessSHA256
    InitiatingProcessMD5 InitiatingProcessFileName InitiatingProcessFileSize ${IP_VERSION} InitiatingProcessId
    InitiatingProcessCommandLine InitiatingProcessCreationTime InitiatingProcessFolderPath InitiatingProcessParentId
    InitiatingProcessParentFileName InitiatingProcessParentCreationTime ReportId AppGuardContainerId AdditionalFields ${IP_SESSION}`),
  DeviceFileEvents: words(`Timestamp DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileOriginUrl
    FileOriginReferrerUrl FileOriginIP PreviousFolderPath PreviousFileName FileSize ${IP_ACCOUNT} InitiatingProcessMD5
    InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessFolderPath InitiatingProcessFileName InitiatingProcessFileSize
    ${IP_VERSION} InitiatingProcessId InitiatingProcessCommandLine InitiatingProcessCreationTime InitiatingProcessIntegrityLevel
    InitiatingProcessTokenElevation InitiatingProcessParentId InitiatingProcessParentFileName InitiatingProcessParentCreationTime
    RequestProtocol RequestSourceIP RequestSourcePort RequestAccountName RequestAccountDomain RequestAccountSid ShareName
    SensitivityLabel SensitivitySubLabel IsAzureInfoProtectionApplied ReportId AppGuardContainerId AdditionalFields ${IP_SESSION}`),
  DeviceProcessEvents: words(`Timestamp DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize
    ProcessVersionInfoCompanyName ProcessVersionInfoProductName ProcessVersionInfoProductVersion ProcessVersionInfoInternalFileName
    ProcessVersionInfoOriginalFileName ProcessVersionInfoFileDescription ProcessId ProcessCommandLine ProcessIntegrityLevel
    ProcessTokenElevation ProcessCreationTime AccountDomain AccountName AccountSid AccountUpn AccountObjectId LogonId ${IP_ACCOUNT}
    InitiatingProcessLogonId InitiatingProcessIntegrityLevel InitiatingProcessTokenElevation InitiatingProcessSHA1
    InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName InitiatingProcessFileSize ${IP_VERSION}
    InitiatingProcessId InitiatingProcessCommandLine InitiatingProcessCreationTime InitiatingProcessFolderPath
    InitiatingProcessParentId InitiatingProcessParentFileName InitiatingProcessParentCreationTime InitiatingProcessSignerType
    InitiatingProcessSignatureStatus ReportId AppGuardContainerId AdditionalFields ${IP_SESSION}`),
  DeviceEvents: words(`Timestamp DeviceId DeviceName ActionType FileName FolderPath SHA1 SHA256 MD5 FileSize AccountDomain
    AccountName AccountSid RemoteUrl RemoteDeviceName ProcessId ProcessCommandLine ProcessCreationTime ProcessTokenElevation LogonId
    RegistryKey RegistryValueName RegistryValueData RemoteIP RemotePort LocalIP LocalPort FileOriginUrl FileOriginIP
    InitiatingProcessSHA1 InitiatingProcessSHA256 InitiatingProcessMD5 InitiatingProcessFileName InitiatingProcessFileSize
    InitiatingProcessFolderPath InitiatingProcessId InitiatingProcessCommandLine InitiatingProcessCreationTime ${IP_ACCOUNT}
    ${IP_VERSION} InitiatingProcessParentId InitiatingProcessParentFileName InitiatingProcessParentCreationTime
    InitiatingProcessLogonId ReportId AppGuardContainerId AdditionalFields ${IP_SESSION} CreatedProcessSessionId
    IsProcessRemoteSession ProcessRemoteSessionDeviceName ProcessRemoteSessionIP`),
  DnsEvents: words(`TenantId SourceSystem TimeGenerated Computer EventId SubType Name QueryType Result ResultCode IPAddresses
    ClientIP TaskCategory Message Description Severity MaliciousIP IndicatorThreatType Confidence RemoteIPCountry
    RemoteIPLatitude RemoteIPLongitude Type _ResourceId`),
  Syslog: words(`TenantId SourceSystem TimeGenerated Computer EventTime Facility HostName SeverityLevel SyslogMessage ProcessID
    HostIP ProcessName CollectorHostName Type _ResourceId`),
  SigninLogs: words(`TenantId SourceSystem TimeGenerated ResourceId OperationName OperationVersion Category ResultType
    ResultSignature ResultDescription DurationMs CorrelationId Resource ResourceGroup ResourceProvider Identity Level Location
    AlternateSignInName AppDisplayName AppId AuthenticationDetails AuthenticationMethodsUsed AuthenticationProcessingDetails
    AuthenticationRequirement AuthenticationRequirementPolicies ClientAppUsed ConditionalAccessPolicies ConditionalAccessStatus
    CreatedDateTime DeviceDetail IsInteractive Id IPAddress IPAddressFromResourceProvider IsRisky LocationDetails MfaDetail
    NetworkLocationDetails OriginalRequestId ProcessingTimeInMilliseconds RiskDetail RiskEventTypes RiskEventTypes_V2 RiskLevel
    RiskLevelAggregated RiskLevelDuringSignIn RiskState ResourceDisplayName ResourceIdentity ServicePrincipalId
    ServicePrincipalName Status TokenIssuerName TokenIssuerType UserAgent UserDisplayName UserId UserPrincipalName
    AADTenantId UserType FlaggedForReview SignInIdentifier SignInIdentifierType SessionLifetimePolicies AutonomousSystemNumber
    AuthenticationProtocol CrossTenantAccessType AppliedEventListeners AuthenticationContextClassReferences
    HomeTenantId ResourceServicePrincipalId ResourceTenantId UniqueTokenIdentifier Type`),
  AADNonInteractiveUserSignInLogs: words(`TenantId SourceSystem TimeGenerated OperationName OperationVersion Category ResultType
    ResultSignature ResultDescription DurationMs CorrelationId ResourceGroup Identity Level Location AlternateSignInName
    AppDisplayName AppId AuthenticationContextClassReferences AuthenticationDetails AuthenticationMethodsUsed
    AuthenticationProcessingDetails AuthenticationProtocol AuthenticationRequirement AuthenticationRequirementPolicies
    AutonomousSystemNumber ClientAppUsed ClientCredentialType ConditionalAccessPolicies ConditionalAccessStatus CreatedDateTime
    CrossTenantAccessType DeviceDetail FederatedCredentialId GlobalSecureAccessIpAddress HomeTenantId Id IncomingTokenType
    IPAddress IsInteractive IsRisky IsTenantRestricted IsThroughGlobalSecureAccess LocationDetails MfaDetail
    NetworkLocationDetails OriginalRequestId OriginalTransferMethod ProcessingTimeInMs ResourceDisplayName ResourceIdentity
    ResourceOwnerTenantId ResourceServicePrincipalId ResourceTenantId RiskDetail RiskEventTypes RiskEventTypes_V2
    RiskLevelAggregated RiskLevelDuringSignIn RiskState ServicePrincipalId SessionId SessionLifetimePolicies SignInEventTypes
    SignInIdentifierType Status TokenIssuerName TokenIssuerType TokenProtectionStatusDetails UniqueTokenIdentifier UserAgent
    UserDisplayName UserId UserPrincipalName UserType AADTenantId Type`),
  AzureActivity: words(`TenantId SourceSystem CallerIpAddress CategoryValue CorrelationId Authorization Authorization_d Claims
    Claims_d Level OperationNameValue Properties Properties_d Caller EventDataId EventSubmissionTimestamp HTTPRequest OperationId
    ResourceGroup ResourceProviderValue ActivityStatusValue ActivitySubstatusValue Hierarchy TimeGenerated SubscriptionId
    OperationName ActivityStatus ActivitySubstatus Category ResourceId ResourceProvider Resource Type _ResourceId`),
  OfficeActivity: words(`TenantId AADGroupId AADTarget Activity Actor ActorContextId ActorIpAddress AddOnGuid AddonName AddOnType
    AffectedItems AppDistributionMode AppId Application ApplicationId AzureActiveDirectory_EventType AzureADAppId ChannelGuid
    ChannelName ChannelType ChatName ChatThreadId Client Client_IPAddress ClientAppId ClientInfoString ClientIP
    ClientMachineName ClientProcessName ClientVersion CommunicationType CrossMailboxOperations CustomEvent
    DataCenterSecurityEventType DestFolder DestinationFileExtension DestinationFileName DestinationRelativeUrl DestMailboxId
    DestMailboxOwnerMasterAccountSid DestMailboxOwnerSid DestMailboxOwnerUPN EffectiveOrganization ElevationApprovedTime
    ElevationApprover ElevationDuration ElevationRequestId ElevationRole ElevationTime Event_Data EventSource ExtendedProperties
    ExternalAccess ExtraProperties Folder Folders GenericInfo InternalLogonType InterSystemsId IntraSystemId IsManagedDevice Item
    ItemName ItemType LoginStatus Logon_Type LogonUserDisplayName LogonUserSid MachineDomainInfo MachineId MailboxGuid
    MailboxOwnerMasterAccountSid MailboxOwnerSid MailboxOwnerUPN Members MessageId ModifiedObjectResolvedName ModifiedProperties
    Name NewValue OfficeId OfficeObjectId OfficeTenantId OfficeWorkload OldValue Operation OperationProperties OperationScope
    OrganizationId OrganizationName OriginatingServer Parameters RecordType ResultReasonType ResultStatus SendAsUserMailboxGuid
    SendAsUserSmtp SendonBehalfOfUserMailboxGuid SendOnBehalfOfUserSmtp SharingType Site_ Site_Url Source_Name
    SourceFileExtension SourceFileName SourceRecordId SourceRelativeUrl SourceSystem SRPolicyId SRPolicyName SRRuleMatchDetails
    Start_Time SupportTicketId TabType TargetContextId TargetUserId TargetUserOrGroupName TargetUserOrGroupType TeamGuid TeamName
    TimeGenerated Type UserAgent UserDomain UserId UserKey UserSharedWith UserType`),
  W3CIISLog: words(`TenantId SourceSystem TimeGenerated Computer sSiteName sIP csMethod csUriStem csUriQuery sPort csUserName cIP
    csUserAgent csReferer scStatus scSubStatus scWin32Status csVersion csHost csCookie scBytes csBytes TimeTaken StorageAccount
    AzureDeploymentID Role RoleInstance ManagementGroupName RemoteIPCountry RemoteIPLatitude RemoteIPLongitude MaliciousIP
    IndicatorThreatType Description TLPLevel Confidence Severity FirstReportedDateTime LastReportedDateTime IsActive Type
    _ResourceId`),
  VMConnection: words(`TenantId Computer Direction ProcessName SourceIp DestinationIp DestinationPort Protocol RemoteIp
    RemoteDnsQuestions RemoteDnsCanonicalNames RemoteClassification RemoteLatitude RemoteLongitude RemoteCountry BytesSent
    BytesReceived LinksEstablished LinksTerminated LinksFailed LinksLive Responses ResponseTimeMax ResponseTimeMin
    ResponseTimeSum MaliciousIp IndicatorThreatType Description TLPLevel Confidence Severity FirstReportedDateTime
    LastReportedDateTime IsActive TimeGenerated AgentId Machine Process ConnectionId SourceSystem Type _ResourceId`),
  AzureDiagnostics: words(`TenantId TimeGenerated ResourceId Category ResourceGroup SubscriptionId ResourceProvider Resource
    ResourceType OperationName msg_s SourceSystem Type _ResourceId`),
  AWSCloudTrail: words(`TenantId TimeGenerated EventVersion EventSource EventName AWSRegion SourceIpAddress UserAgent ErrorCode
    ErrorMessage RequestParameters ResponseElements Resources AdditionalEventData ReadOnly ManagementEvent RecipientAccountId
    SharedEventId ServiceEventDetails VpcEndpointId AwsEventId AwsRequestId_ APIVersion Category EventTypeName
    UserIdentityType UserIdentityPrincipalid UserIdentityArn UserIdentityAccountId UserIdentityAccessKeyId UserIdentityUserName
    UserIdentityInvokedBy SessionMfaAuthenticated SessionCreationDate SessionIssuerType SessionIssuerPrincipalId
    SessionIssuerArn SessionIssuerAccountId SessionIssuerUserName TlsVersion CipherSuite ClientProvidedHostHeader OperationName
    SourceSystem Type`),
  ASimNetworkSessionLogs: words(`TenantId TimeGenerated EventCount EventSchemaVersion DvcAction EventMessage EventSeverity
    EventStartTime EventEndTime Dvc NetworkApplicationProtocol NetworkDirection NetworkProtocol DstBytes SrcBytes NetworkBytes
    NetworkSessionId DstNatIpAddr DstNatPortNumber SrcNatIpAddr SrcNatPortNumber EventType EventResult EventProduct EventVendor
    DvcIpAddr DvcHostname SrcAppName SrcIpAddr SrcPortNumber SrcHostname SrcFQDN SrcUsername DstIpAddr DstPortNumber DstHostname
    DstFQDN DstUsername ThreatIpAddr AdditionalFields Type _ResourceId`),
  ASimDnsActivityLogs: words(`TenantId TimeGenerated EventStartTime EventCount EventType EventSubType EventResult EventResultDetails EventProduct
    EventVendor DvcIpAddr DvcHostname AdditionalFields SrcIpAddr SrcPortNumber DstIpAddr DnsQuery DnsQueryType DnsQueryTypeName
    DnsResponseCode DnsResponseName TransactionIdHex NetworkProtocol DnsQueryClass DnsQueryClassName DnsNetworkDuration
    ThreatIpAddr EventSchemaVersion Dvc Src SrcHostname SrcUsername SrcProcessName Dst DstPortNumber DstHostname DvcAction
    Type _ResourceId`),
  ASimWebSessionLogs: words(`TenantId TimeGenerated Dvc DvcIpAddr DvcHostname DvcAction EventCount EventStartTime EventEndTime
    EventType EventResult EventResultDetails EventProduct EventVendor EventSchema EventSchemaVersion DstIpAddr DstPortNumber
    DstHostname DstFQDN DstUsername NetworkProtocol NetworkDirection NetworkSessionId DstNatIpAddr DstNatPortNumber SrcNatIpAddr SrcNatPortNumber
    SrcAppName SrcIpAddr SrcPortNumber SrcHostname SrcUsername Url UrlCategory UrlOriginal HttpVersion HttpRequestMethod
    HttpReferrer HttpUserAgent HttpRequestXff HttpHost FileMD5 FileSHA1 FileSHA256 FileSHA512 ThreatIpAddr Type _ResourceId`),
};

// ------------------------------------------------------------------ writing exports
rmSync(EXPORTS, { recursive: true, force: true });
mkdirSync(EXPORTS);
const C2A = '179.43.139.84';
const C2B = '179.43.139.86';
const NEAR = '179.43.139.840';
const expected = [];

/** A CSV cell: quoted when it must be (or always, as the portal quotes non-alphanumeric text). */
function cell(value, quoteAll) {
  if (value === null || value === undefined) return '';
  const text = String(value);
  if (quoteAll ? /[^A-Za-z0-9]/.test(text) : /[",\r\n]/.test(text)) return `"${text.replace(/"/g, '""')}"`;
  return text;
}

/** Lines before `text`'s end, +1: the line the next record starts on. */
const nextLine = (text) => text.split('\n').length;

/**
 * rows: [{ values: {column: value}, hits?: [{column, ip, port}] }]
 * shape: 'portal' (BOM, CRLF, `TimeGenerated [UTC]`, quoted text), 'hunting' (LF, minimal quoting)
 */
function csv(file, table, header, rows, shape, expectTable = table) {
  const eol = shape === 'portal' ? '\r\n' : '\n';
  const names = header.map((name) => (shape === 'portal' && /^(TimeGenerated|EventTime|StartTime|EndTime|CreatedDateTime|EventSubmissionTimestamp)$/.test(name) ? `${name} [UTC]` : name));
  let text = (shape === 'portal' ? '\uFEFF' : '') + names.map((n) => cell(n, shape === 'portal')).join(',') + eol;
  const hits = [];
  rows.forEach((row, i) => {
    const line = nextLine(text);
    for (const hit of row.hits ?? []) hits.push({ line, record: i + 1, ...hit });
    text += header.map((name) => cell(row.values[name], shape === 'portal')).join(',') + eol;
  });
  write(file, text, table, expectTable, rows.length, hits);
}

/** JSON lines: streaming API records (`category`, event in `properties`) or flat records. */
function jsonLines(file, records, expectTable) {
  let text = '';
  const hits = [];
  records.forEach((record, i) => {
    const line = nextLine(text);
    for (const hit of record.hits ?? []) hits.push({ line, record: i + 1, ...hit });
    text += JSON.stringify(record.json) + '\n';
  });
  write(file, text, expectTable, expectTable, records.length, hits);
}

/** The az CLI's JSON array of flat objects, pretty-printed: each record's line is that of its `{`. */
function jsonArray(file, table, records) {
  const hits = [];
  const parts = records.map((record) => JSON.stringify(record.json, null, 2).replace(/^/gm, '  '));
  let text = '[\n';
  records.forEach((record, i) => {
    const line = nextLine(text);
    for (const hit of record.hits ?? []) hits.push({ line, record: i + 1, ...hit });
    text += parts[i] + (i < records.length - 1 ? ',\n' : '\n');
  });
  text += ']\n';
  write(file, text, table, table, records.length, hits);
}

function write(file, text, table, expectTable, records, hits) {
  writeFileSync(join(EXPORTS, file), text);
  expected.push({ file, table: expectTable, records, hits });
}

/** A full record of `table`'s documented columns: null where not given. */
function full(table, values) {
  return Object.fromEntries(HEADERS[table].map((name) => [name, values[name] ?? null]));
}

const TENANT = '5f1a2b3c-0d4e-4f60-8a7b-9c0d1e2f3a4b';
const at = (minute) => `2026-05-21T10:${String(minute).padStart(2, '0')}:00.1234567Z`;
const portalTime = (minute) => `5/21/2026, 10:${String(minute).padStart(2, '0')}:00.123 AM`;

// ------------------------------------------------------------------ CommonSecurityLog: portal CSV
csv('CommonSecurityLog.portal.csv', 'CommonSecurityLog', HEADERS.CommonSecurityLog, [
  { values: { TenantId: TENANT, TimeGenerated: portalTime(1), DeviceVendor: 'Palo Alto Networks', DeviceProduct: 'PAN-OS', DeviceAction: 'allow', Activity: 'TRAFFIC', SourceIP: '10.1.1.5', SourcePort: 50110, DestinationIP: '93.184.216.34', DestinationPort: 443, Type: 'CommonSecurityLog' } },
  { values: { TenantId: TENANT, TimeGenerated: portalTime(2), DeviceVendor: 'Palo Alto Networks', DeviceProduct: 'PAN-OS', DeviceAction: 'allow', Activity: 'TRAFFIC', SourceIP: '10.1.1.6', SourcePort: 50111, DestinationIP: C2A, DestinationPort: 443, Type: 'CommonSecurityLog' }, hits: [{ column: 'DestinationIP', ip: C2A, port: 443 }] },
  { values: { TenantId: TENANT, TimeGenerated: portalTime(3), DeviceVendor: 'Fortinet', DeviceProduct: 'Fortigate', DeviceAction: 'deny', Activity: 'traffic:forward deny', SourceIP: '10.1.1.7', SourcePort: 50112, DestinationIP: NEAR, DestinationPort: 443, Type: 'CommonSecurityLog' } },
  { values: { TenantId: TENANT, TimeGenerated: portalTime(4), DeviceVendor: 'Fortinet', DeviceProduct: 'Fortigate', DeviceAction: 'accept', Activity: 'traffic:forward accept', SourceIP: '10.1.1.8', SourcePort: 50113, DestinationIP: '20.42.65.92', DestinationPort: 443, Message: 'ordinary, "quoted" text', Type: 'CommonSecurityLog' } },
], 'portal');

// ------------------------------------------------------------------ DeviceNetworkEvents: advanced hunting CSV
const device = { DeviceId: 'a3f9c2e1d4b5a6978877665544332211aabbccdd', DeviceName: 'ws-0142.contoso.local' };
csv('DeviceNetworkEvents.hunting.csv', 'DeviceNetworkEvents', HEADERS.DeviceNetworkEvents, [
  { values: { ...device, Timestamp: at(5), ActionType: 'ConnectionSuccess', RemoteIP: '52.96.165.18', RemotePort: 443, LocalIP: '10.20.4.17', LocalPort: 61001, Protocol: 'Tcp', InitiatingProcessFileName: 'msedge.exe' } },
  { values: { ...device, Timestamp: at(6), ActionType: 'ConnectionSuccess', RemoteIP: C2B, RemotePort: 443, LocalIP: '10.20.4.17', LocalPort: 61002, Protocol: 'Tcp', InitiatingProcessFileName: 'perl.exe', InitiatingProcessCommandLine: 'perl.exe C:\\Users\\Public\\bot.pl' }, hits: [{ column: 'RemoteIP', ip: C2B, port: 443 }] },
  { values: { ...device, Timestamp: at(7), ActionType: 'ConnectionFailed', RemoteIP: NEAR, RemotePort: 443, LocalIP: '10.20.4.17', LocalPort: 61003, Protocol: 'Tcp', InitiatingProcessFileName: 'perl.exe' } },
], 'hunting');

// ------------------------------------------------------------------ DeviceLogonEvents: advanced hunting CSV
csv('DeviceLogonEvents.hunting.csv', 'DeviceLogonEvents', HEADERS.DeviceLogonEvents, [
  { values: { ...device, Timestamp: at(8), ActionType: 'LogonSuccess', LogonType: 'Interactive', AccountDomain: 'contoso', AccountName: 'jdoe', Protocol: 'Negotiate', IsLocalAdmin: 'false', RemoteIP: '', InitiatingProcessFileName: 'svchost.exe' } },
  { values: { ...device, Timestamp: at(9), ActionType: 'LogonFailed', LogonType: 'Network', AccountDomain: 'contoso', AccountName: 'administrator', Protocol: 'NTLM', FailureReason: 'InvalidUserNameOrPassword', RemoteIP: C2A, RemoteIPType: 'Public', RemotePort: 49822, InitiatingProcessFileName: 'lsass.exe' }, hits: [{ column: 'RemoteIP', ip: C2A, port: 49822 }] },
  { values: { ...device, Timestamp: at(10), ActionType: 'LogonFailed', LogonType: 'Network', AccountDomain: 'contoso', AccountName: 'administrator', Protocol: 'NTLM', RemoteIP: NEAR, RemoteIPType: 'Public', RemotePort: 49823, InitiatingProcessFileName: 'lsass.exe' } },
  { values: { ...device, Timestamp: at(11), ActionType: 'LogonSuccess', LogonType: 'RemoteInteractive', AccountDomain: 'contoso', AccountName: 'jdoe', Protocol: 'Kerberos', RemoteIP: '10.20.9.3', RemoteIPType: 'Private', RemotePort: 3389, InitiatingProcessFileName: 'svchost.exe' } },
], 'hunting');

// ------------------------------------------------------------------ DeviceProcessEvents: advanced hunting CSV
csv('DeviceProcessEvents.hunting.csv', 'DeviceProcessEvents', HEADERS.DeviceProcessEvents, [
  { values: { ...device, Timestamp: at(12), ActionType: 'ProcessCreated', FileName: 'cmd.exe', ProcessCommandLine: 'cmd.exe /c whoami', ProcessIntegrityLevel: 'Medium', AccountName: 'jdoe', InitiatingProcessFileName: 'explorer.exe', IsInitiatingProcessRemoteSession: 'false' } },
  { values: { ...device, Timestamp: at(13), ActionType: 'ProcessCreated', FileName: 'perl.exe', ProcessCommandLine: 'perl.exe bot.pl', ProcessIntegrityLevel: 'High', AccountName: 'administrator', InitiatingProcessFileName: 'cmd.exe', IsInitiatingProcessRemoteSession: 'true', InitiatingProcessRemoteSessionDeviceName: 'unknown-host', InitiatingProcessRemoteSessionIP: C2B }, hits: [{ column: 'InitiatingProcessRemoteSessionIP', ip: C2B, port: null }] },
  { values: { ...device, Timestamp: at(14), ActionType: 'ProcessCreated', FileName: 'perl.exe', ProcessCommandLine: 'perl.exe bot.pl --peer 179.43.139.840', ProcessIntegrityLevel: 'High', AccountName: 'administrator', InitiatingProcessFileName: 'cmd.exe', IsInitiatingProcessRemoteSession: 'true', InitiatingProcessRemoteSessionIP: NEAR } },
], 'hunting');

// ------------------------------------------------------------------ DeviceFileEvents, DeviceEvents: streaming API
const streaming = (table, minute, values) => ({
  time: at(minute).replace('.1234567Z', '.7654321Z'),
  tenantId: TENANT,
  operationName: 'Publish',
  category: `AdvancedHunting-${table}`,
  _TimeReceivedBySvc: at(minute).replace('.1234567Z', '.5000000Z'),
  properties: full(table, { ...device, Timestamp: at(minute), ...values }),
  Tenant: 'DefaultTenant',
});
jsonLines('DeviceFileEvents.streaming.ndjson', [
  { json: streaming('DeviceFileEvents', 15, { ActionType: 'FileCreated', FileName: 'report.docx', FolderPath: 'C:\\Users\\jdoe\\Documents\\report.docx', InitiatingProcessFileName: 'WINWORD.EXE' }) },
  { json: streaming('DeviceFileEvents', 16, { ActionType: 'FileCreated', FileName: 'bot.pl', FolderPath: 'C:\\Users\\Public\\bot.pl', FileOriginUrl: 'http://179.43.139.86/bot.pl', FileOriginIP: C2B, InitiatingProcessFileName: 'msedge.exe' }), hits: [{ column: 'FileOriginIP', ip: C2B, port: null }, { column: 'FileOriginUrl', ip: C2B, port: 80 }] },
  { json: streaming('DeviceFileEvents', 17, { ActionType: 'FileModified', FileName: 'share.txt', FolderPath: '\\\\fs01\\share\\share.txt', RequestProtocol: 'SMB', RequestSourceIP: C2A, RequestSourcePort: 445, RequestAccountName: 'svc-backup', ShareName: 'share' }), hits: [{ column: 'RequestSourceIP', ip: C2A, port: 445 }] },
  { json: streaming('DeviceFileEvents', 18, { ActionType: 'FileCreated', FileName: 'x.pl', FolderPath: 'C:\\Temp\\x.pl', FileOriginIP: NEAR, InitiatingProcessFileName: 'msedge.exe' }) },
], 'DeviceFileEvents');

jsonLines('DeviceEvents.streaming.ndjson', [
  { json: streaming('DeviceEvents', 19, { ActionType: 'AntivirusScanCompleted', InitiatingProcessFileName: 'MsMpEng.exe' }) },
  { json: streaming('DeviceEvents', 20, { ActionType: 'FirewallOutboundConnectionBlocked', RemoteIP: C2A, RemotePort: 443, LocalIP: '10.20.4.17', LocalPort: 61010, InitiatingProcessFileName: 'perl.exe' }), hits: [{ column: 'RemoteIP', ip: C2A, port: 443 }] },
  { json: streaming('DeviceEvents', 21, { ActionType: 'FirewallOutboundConnectionBlocked', RemoteIP: NEAR, RemotePort: 443, LocalIP: '10.20.4.17', LocalPort: 61011, InitiatingProcessFileName: 'perl.exe' }) },
  { json: streaming('DeviceEvents', 22, { ActionType: 'RegistryValueSet', RegistryKey: 'HKEY_CURRENT_USER\\Software\\Run', RegistryValueName: 'bot', RegistryValueData: 'perl.exe bot.pl', InitiatingProcessFileName: 'perl.exe' }) },
], 'DeviceEvents');

// ------------------------------------------------------------------ DeviceNetworkEvents + DeviceLogonEvents in one streaming file
jsonLines('Device-mixed.streaming.ndjson', [
  { json: streaming('DeviceNetworkEvents', 23, { ActionType: 'ConnectionSuccess', RemoteIP: '52.96.165.18', RemotePort: 443, LocalIP: '10.20.4.17', LocalPort: 61020, Protocol: 'Tcp', InitiatingProcessFileName: 'msedge.exe' }) },
  { json: streaming('DeviceLogonEvents', 24, { ActionType: 'LogonFailed', LogonType: 'Network', AccountName: 'administrator', Protocol: 'NTLM', RemoteIP: C2B, RemoteIPType: 'Public', RemotePort: 51000 }), hits: [{ column: 'RemoteIP', ip: C2B, port: 51000, table: 'DeviceLogonEvents' }] },
  { json: streaming('DeviceNetworkEvents', 25, { ActionType: 'ConnectionSuccess', RemoteIP: C2A, RemotePort: 443, LocalIP: '10.20.4.17', LocalPort: 61021, Protocol: 'Tcp', InitiatingProcessFileName: 'perl.exe' }), hits: [{ column: 'RemoteIP', ip: C2A, port: 443, table: 'DeviceNetworkEvents' }] },
  { json: streaming('DeviceLogonEvents', 26, { ActionType: 'LogonFailed', LogonType: 'Network', AccountName: 'administrator', Protocol: 'NTLM', RemoteIP: NEAR, RemotePort: 51001 }) },
], 'mixed');

// ------------------------------------------------------------------ Log Analytics tables: portal CSV
const common = (minute) => ({ TenantId: TENANT, TimeGenerated: portalTime(minute) });
csv('DnsEvents.portal.csv', 'DnsEvents', HEADERS.DnsEvents, [
  { values: { ...common(27), SourceSystem: 'OpsManager', Computer: 'dc01.contoso.local', EventId: 256, SubType: 'LookupQuery', Name: 'www.microsoft.com', QueryType: 'A', Result: 'Success', ResultCode: 0, IPAddresses: '23.53.11.63,23.53.11.79', ClientIP: '10.20.4.17', Type: 'DnsEvents' } },
  { values: { ...common(28), SourceSystem: 'OpsManager', Computer: 'dc01.contoso.local', EventId: 256, SubType: 'LookupQuery', Name: 'update.perl-cdn.net', QueryType: 'A', Result: 'Success', ResultCode: 0, IPAddresses: `10.9.9.9,${C2A}`, ClientIP: '10.20.4.17', Type: 'DnsEvents' }, hits: [{ column: 'IPAddresses', ip: C2A, port: null }] },
  { values: { ...common(29), SourceSystem: 'OpsManager', Computer: 'dc01.contoso.local', EventId: 256, SubType: 'LookupQuery', Name: 'near.example.net', QueryType: 'A', Result: 'Success', ResultCode: 0, IPAddresses: NEAR, ClientIP: '10.20.4.18', Type: 'DnsEvents' } },
  { values: { ...common(30), SourceSystem: 'OpsManager', Computer: 'dc01.contoso.local', EventId: 256, SubType: 'LookupQuery', Name: 'www.contoso.com', QueryType: 'AAAA', Result: 'Success', ResultCode: 0, IPAddresses: '', ClientIP: C2B, Type: 'DnsEvents' }, hits: [{ column: 'ClientIP', ip: C2B, port: null }] },
], 'portal');

csv('Syslog.portal.csv', 'Syslog', HEADERS.Syslog, [
  { values: { ...common(31), SourceSystem: 'Linux', Computer: 'web01', EventTime: portalTime(31), Facility: 'authpriv', HostName: 'web01', SeverityLevel: 'info', SyslogMessage: 'Accepted publickey for deploy from 10.20.4.17 port 51122 ssh2', ProcessID: 1201, HostIP: '10.20.5.10', ProcessName: 'sshd', Type: 'Syslog' } },
  { values: { ...common(32), SourceSystem: 'Linux', Computer: 'collector01', EventTime: portalTime(32), Facility: 'daemon', HostName: 'edge-rtr', SeverityLevel: 'warning', SyslogMessage: 'link flap', ProcessID: 77, HostIP: C2B, ProcessName: 'netd', CollectorHostName: 'collector01', Type: 'Syslog' }, hits: [{ column: 'HostIP', ip: C2B, port: null }] },
  { values: { ...common(33), SourceSystem: 'Linux', Computer: 'collector01', EventTime: portalTime(33), Facility: 'daemon', HostName: 'edge-rtr2', SeverityLevel: 'warning', SyslogMessage: 'connect to 179.43.139.84 refused', ProcessID: 78, HostIP: NEAR, ProcessName: 'netd', Type: 'Syslog' } },
], 'portal');

csv('SigninLogs.portal.csv', 'SigninLogs', HEADERS.SigninLogs, [
  { values: { ...common(34), OperationName: 'Sign-in activity', Category: 'SignInLogs', ResultType: '0', AppDisplayName: 'Microsoft Teams', UserPrincipalName: 'jdoe@contoso.com', UserDisplayName: 'Jane Doe', IPAddress: '203.0.113.20', Location: 'US', ConditionalAccessStatus: 'success', AuthenticationRequirement: 'singleFactorAuthentication', ProcessingTimeInMilliseconds: '112', Type: 'SigninLogs' } },
  { values: { ...common(35), OperationName: 'Sign-in activity', Category: 'SignInLogs', ResultType: '50126', ResultDescription: 'Invalid username or password', AppDisplayName: 'Azure Portal', UserPrincipalName: 'admin@contoso.com', UserDisplayName: 'Admin', IPAddress: C2A, Location: 'CH', ConditionalAccessStatus: 'notApplied', AuthenticationRequirement: 'singleFactorAuthentication', ProcessingTimeInMilliseconds: '98', Type: 'SigninLogs' }, hits: [{ column: 'IPAddress', ip: C2A, port: null }] },
  { values: { ...common(36), OperationName: 'Sign-in activity', Category: 'SignInLogs', ResultType: '50126', AppDisplayName: 'Azure Portal', UserPrincipalName: 'admin@contoso.com', IPAddress: NEAR, Location: 'CH', ConditionalAccessStatus: 'notApplied', Type: 'SigninLogs' } },
], 'portal');

csv('AzureActivity.portal.csv', 'AzureActivity', HEADERS.AzureActivity, [
  { values: { ...common(37), CallerIpAddress: '203.0.113.20', CategoryValue: 'Administrative', Level: 'Informational', OperationNameValue: 'MICROSOFT.COMPUTE/VIRTUALMACHINES/START/ACTION', Caller: 'jdoe@contoso.com', ResourceGroup: 'rg-web', ResourceProviderValue: 'MICROSOFT.COMPUTE', ActivityStatusValue: 'Success', Type: 'AzureActivity' } },
  { values: { ...common(38), CallerIpAddress: C2B, CategoryValue: 'Administrative', Level: 'Informational', OperationNameValue: 'MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION', Caller: 'admin@contoso.com', ResourceGroup: 'rg-data', ResourceProviderValue: 'MICROSOFT.STORAGE', ActivityStatusValue: 'Success', Type: 'AzureActivity' }, hits: [{ column: 'CallerIpAddress', ip: C2B, port: null }] },
  { values: { ...common(39), CallerIpAddress: NEAR, CategoryValue: 'Administrative', Level: 'Informational', OperationNameValue: 'MICROSOFT.STORAGE/STORAGEACCOUNTS/LISTKEYS/ACTION', Caller: 'admin@contoso.com', ActivityStatusValue: 'Failure', Type: 'AzureActivity' } },
], 'portal');

csv('OfficeActivity.portal.csv', 'OfficeActivity', HEADERS.OfficeActivity, [
  { values: { ...common(40), RecordType: 'ExchangeItem', Operation: 'Send', OfficeWorkload: 'Exchange', ResultStatus: 'Succeeded', UserId: 'jdoe@contoso.com', ClientIP: '203.0.113.20', OfficeId: '0b6c1a52-0000-4000-8000-000000000001', Type: 'OfficeActivity' } },
  { values: { ...common(41), RecordType: 'SharePointFileOperation', Operation: 'FileDownloaded', OfficeWorkload: 'SharePoint', UserId: 'admin@contoso.com', ClientIP: `${C2A}:50432`, OfficeId: '0b6c1a52-0000-4000-8000-000000000002', Type: 'OfficeActivity' }, hits: [{ column: 'ClientIP', ip: C2A, port: 50432 }] },
  { values: { ...common(42), RecordType: 'ExchangeItem', Operation: 'MailItemsAccessed', OfficeWorkload: 'Exchange', ResultStatus: 'Succeeded', UserId: 'admin@contoso.com', ClientIP: `[::ffff:${C2B}]:443`, OfficeId: '0b6c1a52-0000-4000-8000-000000000003', Type: 'OfficeActivity' }, hits: [{ column: 'ClientIP', ip: C2B, port: 443 }] },
  { values: { ...common(43), RecordType: 'AzureActiveDirectoryStsLogon', Operation: 'UserLoginFailed', OfficeWorkload: 'AzureActiveDirectory', UserId: 'admin@contoso.com', ClientIP: C2A, OfficeId: '0b6c1a52-0000-4000-8000-000000000004', Type: 'OfficeActivity' }, hits: [{ column: 'ClientIP', ip: C2A, port: null }] },
  { values: { ...common(44), RecordType: 'ExchangeItem', Operation: 'Send', OfficeWorkload: 'Exchange', UserId: 'jdoe@contoso.com', ClientIP: `${NEAR}:50433`, OfficeId: '0b6c1a52-0000-4000-8000-000000000005', Type: 'OfficeActivity' } },
], 'portal');

csv('W3CIISLog.portal.csv', 'W3CIISLog', HEADERS.W3CIISLog, [
  { values: { ...common(45), Computer: 'web01.contoso.local', sSiteName: 'W3SVC1', sIP: '10.20.5.10', csMethod: 'GET', csUriStem: '/index.html', sPort: 443, cIP: '203.0.113.20', scStatus: '200', Type: 'W3CIISLog' } },
  { values: { ...common(46), Computer: 'web01.contoso.local', sSiteName: 'W3SVC1', sIP: '10.20.5.10', csMethod: 'POST', csUriStem: '/upload.aspx', sPort: 443, cIP: C2B, scStatus: '200', csUserAgent: 'Mozilla/5.0+(compatible;+PerlBot)', Type: 'W3CIISLog' }, hits: [{ column: 'cIP', ip: C2B, port: null }] },
  { values: { ...common(47), Computer: 'web01.contoso.local', sSiteName: 'W3SVC1', sIP: '10.20.5.10', csMethod: 'GET', csUriStem: '/', sPort: 443, cIP: NEAR, scStatus: '404', Type: 'W3CIISLog' } },
], 'portal');

csv('AzureDiagnostics.firewall.portal.csv', 'AzureDiagnostics', HEADERS.AzureDiagnostics, [
  { values: { ...common(48), ResourceId: '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG-NET/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW01', Category: 'AzureFirewallNetworkRule', ResourceGroup: 'RG-NET', ResourceProvider: 'MICROSOFT.NETWORK', Resource: 'FW01', ResourceType: 'AZUREFIREWALLS', OperationName: 'AzureFirewallNetworkRuleLog', msg_s: 'TCP request from 10.20.4.17:61030 to 52.96.165.18:443. Action: Allow. Rule Collection: RC-Out. Rule: Allow-HTTPS', Type: 'AzureDiagnostics' } },
  { values: { ...common(49), ResourceId: '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG-NET/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW01', Category: 'AzureFirewallNetworkRule', ResourceGroup: 'RG-NET', ResourceProvider: 'MICROSOFT.NETWORK', Resource: 'FW01', ResourceType: 'AZUREFIREWALLS', OperationName: 'AzureFirewallNetworkRuleLog', msg_s: `TCP request from 10.20.4.17:61031 to ${C2A}:443. Action: Deny. Rule Collection: RC-Out. Rule: Deny-All`, Type: 'AzureDiagnostics' }, hits: [{ column: 'msg_s', ip: C2A, port: 443 }] },
  { values: { ...common(50), ResourceId: '/SUBSCRIPTIONS/0000/RESOURCEGROUPS/RG-NET/PROVIDERS/MICROSOFT.NETWORK/AZUREFIREWALLS/FW01', Category: 'AzureFirewallNetworkRule', ResourceGroup: 'RG-NET', ResourceProvider: 'MICROSOFT.NETWORK', Resource: 'FW01', ResourceType: 'AZUREFIREWALLS', OperationName: 'AzureFirewallNetworkRuleLog', msg_s: `TCP request from 10.20.4.17:61032 to ${NEAR}:443. Action: Deny. Rule Collection: RC-Out. Rule: Deny-All`, Type: 'AzureDiagnostics' } },
], 'portal');

csv('ASimNetworkSessionLogs.portal.csv', 'ASimNetworkSessionLogs', HEADERS.ASimNetworkSessionLogs, [
  { values: { ...common(51), EventCount: 1, EventSchemaVersion: '0.2.6', DvcAction: 'Allow', EventType: 'NetworkSession', EventResult: 'Success', EventProduct: 'Azure Firewall', EventVendor: 'Microsoft', NetworkProtocol: 'TCP', SrcIpAddr: '10.20.4.17', SrcPortNumber: 61040, DstIpAddr: '52.96.165.18', DstPortNumber: 443, Type: 'ASimNetworkSessionLogs' } },
  { values: { ...common(52), EventCount: 1, EventSchemaVersion: '0.2.6', DvcAction: 'Deny', EventType: 'NetworkSession', EventResult: 'Failure', EventProduct: 'Azure Firewall', EventVendor: 'Microsoft', NetworkProtocol: 'TCP', SrcIpAddr: '10.20.4.17', SrcPortNumber: 61041, DstIpAddr: C2B, DstPortNumber: 443, Type: 'ASimNetworkSessionLogs' }, hits: [{ column: 'DstIpAddr', ip: C2B, port: 443 }] },
  { values: { ...common(53), EventCount: 1, EventSchemaVersion: '0.2.6', DvcAction: 'Deny', EventType: 'NetworkSession', EventResult: 'Failure', EventProduct: 'Azure Firewall', EventVendor: 'Microsoft', NetworkProtocol: 'TCP', SrcIpAddr: NEAR, SrcPortNumber: 61042, DstIpAddr: '10.20.4.17', DstPortNumber: 22, Type: 'ASimNetworkSessionLogs' } },
], 'portal');

csv('ASimWebSessionLogs.portal.csv', 'ASimWebSessionLogs', HEADERS.ASimWebSessionLogs, [
  { values: { ...common(54), Dvc: 'proxy01', DvcAction: 'Allow', EventCount: 1, EventType: 'HTTPsession', EventResult: 'Success', EventProduct: 'Squid', EventVendor: 'Squid', EventSchema: 'WebSession', EventSchemaVersion: '0.2.6', SrcIpAddr: '10.20.4.17', DstIpAddr: '23.53.11.63', DstPortNumber: 443, Url: 'https://www.microsoft.com/', HttpRequestMethod: 'GET', EventResultDetails: '200', Type: 'ASimWebSessionLogs' } },
  { values: { ...common(55), Dvc: 'proxy01', DvcAction: 'Allow', EventCount: 1, EventType: 'HTTPsession', EventResult: 'Success', EventProduct: 'Squid', EventVendor: 'Squid', EventSchema: 'WebSession', EventSchemaVersion: '0.2.6', SrcIpAddr: '10.20.4.17', DstIpAddr: C2A, DstPortNumber: 443, Url: `https://${C2A}/gate.php`, HttpRequestMethod: 'POST', EventResultDetails: '200', Type: 'ASimWebSessionLogs' }, hits: [{ column: 'DstIpAddr', ip: C2A, port: 443 }, { column: 'Url', ip: C2A, port: 443 }] },
  { values: { ...common(56), Dvc: 'proxy01', DvcAction: 'Deny', EventCount: 1, EventType: 'HTTPsession', EventResult: 'Failure', EventProduct: 'Squid', EventVendor: 'Squid', EventSchema: 'WebSession', EventSchemaVersion: '0.2.6', SrcIpAddr: '10.20.4.17', DstIpAddr: NEAR, DstPortNumber: 443, Url: `https://${NEAR}/`, HttpRequestMethod: 'GET', EventResultDetails: '403', Type: 'ASimWebSessionLogs' } },
], 'portal');

// ------------------------------------------------------------------ Sentinel data export JSON lines (`Type` names the table)
const exported = (table, minute, values) => full(table, { TenantId: TENANT, TimeGenerated: at(minute), ...values, Type: table });
jsonLines('VMConnection.data-export.jsonl', [
  { json: exported('VMConnection', 57, { Computer: 'app01', Direction: 'outbound', ProcessName: 'nginx', SourceIp: '10.20.6.4', DestinationIp: '52.96.165.18', DestinationPort: 443, Protocol: 'tcp', RemoteIp: '52.96.165.18', LinksEstablished: 1, LinksLive: 1, ConnectionId: 'c-1', Machine: 'm-1' }) },
  { json: exported('VMConnection', 58, { Computer: 'app01', Direction: 'outbound', ProcessName: 'perl', SourceIp: '10.20.6.4', DestinationIp: C2B, DestinationPort: 443, Protocol: 'tcp', RemoteIp: C2B, LinksEstablished: 3, LinksLive: 1, ConnectionId: 'c-2', Machine: 'm-1' }), hits: [{ column: 'RemoteIp', ip: C2B, port: null }, { column: 'DestinationIp', ip: C2B, port: 443 }] },
  { json: exported('VMConnection', 59, { Computer: 'app01', Direction: 'inbound', ProcessName: 'sshd', SourceIp: NEAR, DestinationIp: '10.20.6.4', DestinationPort: 22, Protocol: 'tcp', RemoteIp: NEAR, LinksEstablished: 1, ConnectionId: 'c-3', Machine: 'm-1' }) },
], 'VMConnection');

jsonLines('ASimDnsActivityLogs.data-export.jsonl', [
  { json: exported('ASimDnsActivityLogs', 0, { EventCount: 1, EventType: 'Query', EventResult: 'Success', EventProduct: 'DNS Server', EventVendor: 'Microsoft', SrcIpAddr: '10.20.4.17', DstIpAddr: '10.20.0.10', DnsQuery: 'www.microsoft.com', DnsQueryTypeName: 'A', DnsResponseName: '23.53.11.63', EventSchemaVersion: '0.1.7', Dvc: 'dc01' }) },
  { json: exported('ASimDnsActivityLogs', 1, { EventCount: 1, EventType: 'Query', EventResult: 'Success', EventProduct: 'DNS Server', EventVendor: 'Microsoft', SrcIpAddr: '10.20.4.17', DstIpAddr: '10.20.0.10', DnsQuery: 'update.perl-cdn.net', DnsQueryTypeName: 'A', DnsResponseName: C2A, EventSchemaVersion: '0.1.7', Dvc: 'dc01' }), hits: [{ column: 'DnsResponseName', ip: C2A, port: null }] },
  { json: exported('ASimDnsActivityLogs', 2, { EventCount: 1, EventType: 'Query', EventResult: 'Success', EventProduct: 'DNS Server', EventVendor: 'Microsoft', SrcIpAddr: C2B, SrcPortNumber: 53122, DstIpAddr: '10.20.0.10', DnsQuery: 'contoso.com', DnsQueryTypeName: 'TXT', EventSchemaVersion: '0.1.7', Dvc: 'dc01' }), hits: [{ column: 'SrcIpAddr', ip: C2B, port: 53122 }] },
  { json: exported('ASimDnsActivityLogs', 3, { EventCount: 1, EventType: 'Query', EventResult: 'Success', EventProduct: 'DNS Server', EventVendor: 'Microsoft', SrcIpAddr: '10.20.4.18', DstIpAddr: '10.20.0.10', DnsQuery: 'near.example.net', DnsQueryTypeName: 'A', DnsResponseName: NEAR, EventSchemaVersion: '0.1.7', Dvc: 'dc01' }) },
], 'ASimDnsActivityLogs');

// ------------------------------------------------------------------ az CLI JSON arrays (az monitor log-analytics query: every value a string)
const azRow = (table, minute, values) => Object.fromEntries(Object.entries(full(table, { TenantId: TENANT, TimeGenerated: at(minute), ...values, Type: table })).map(([k, v]) => [k, v === null ? '' : String(v)]));
jsonArray('AADNonInteractiveUserSignInLogs.az-cli.json', 'AADNonInteractiveUserSignInLogs', [
  { json: azRow('AADNonInteractiveUserSignInLogs', 4, { ResultType: '0', AppDisplayName: 'Microsoft Office', UserPrincipalName: 'jdoe@contoso.com', IPAddress: '203.0.113.20', ProcessingTimeInMs: '41', IsInteractive: 'false' }) },
  { json: azRow('AADNonInteractiveUserSignInLogs', 5, { ResultType: '0', AppDisplayName: 'Microsoft Office', UserPrincipalName: 'admin@contoso.com', IPAddress: C2B, ProcessingTimeInMs: '40', IsInteractive: 'false' }), hits: [{ column: 'IPAddress', ip: C2B, port: null }] },
  { json: azRow('AADNonInteractiveUserSignInLogs', 6, { ResultType: '0', AppDisplayName: 'Microsoft Office', UserPrincipalName: 'admin@contoso.com', IPAddress: NEAR, ProcessingTimeInMs: '39', IsInteractive: 'false' }) },
]);

jsonArray('AWSCloudTrail.az-cli.json', 'AWSCloudTrail', [
  { json: azRow('AWSCloudTrail', 7, { EventSource: 's3.amazonaws.com', EventName: 'GetObject', AWSRegion: 'eu-west-1', SourceIpAddress: '203.0.113.20', UserIdentityArn: 'arn:aws:iam::111122223333:user/jdoe', AwsEventId: 'e-1' }) },
  { json: azRow('AWSCloudTrail', 8, { EventSource: 'iam.amazonaws.com', EventName: 'CreateAccessKey', AWSRegion: 'us-east-1', SourceIpAddress: C2A, UserIdentityArn: 'arn:aws:iam::111122223333:user/admin', AwsEventId: 'e-2' }), hits: [{ column: 'SourceIpAddress', ip: C2A, port: null }] },
  { json: azRow('AWSCloudTrail', 9, { EventSource: 'sts.amazonaws.com', EventName: 'GetCallerIdentity', AWSRegion: 'us-east-1', SourceIpAddress: NEAR, UserIdentityArn: 'arn:aws:iam::111122223333:user/admin', AwsEventId: 'e-3' }) },
]);

// ------------------------------------------------------------------ REST API query answer: CommonSecurityLog rows, as the API returns it (one line)
{
  const columns = ['TenantId', 'TimeGenerated', 'DeviceVendor', 'DeviceProduct', 'DeviceAction', 'Activity', 'SourceIP', 'SourcePort', 'DestinationIP', 'DestinationPort', 'Type'];
  const types = { TimeGenerated: 'datetime', SourcePort: 'int', DestinationPort: 'int' };
  const rows = [
    [TENANT, at(10), 'Palo Alto Networks', 'PAN-OS', 'allow', 'TRAFFIC', '10.1.1.5', 50120, '93.184.216.34', 443, 'CommonSecurityLog'],
    [TENANT, at(11), 'Palo Alto Networks', 'PAN-OS', 'allow', 'TRAFFIC', '10.1.1.6', 50121, C2A, 443, 'CommonSecurityLog'],
    [TENANT, at(12), 'Palo Alto Networks', 'PAN-OS', 'deny', 'TRAFFIC', '10.1.1.7', 50122, NEAR, 443, 'CommonSecurityLog'],
    [TENANT, at(13), 'Palo Alto Networks', 'PAN-OS', 'allow', 'TRAFFIC', C2B, 443, '10.1.1.8', 50123, 'CommonSecurityLog'],
  ];
  const text = JSON.stringify({ tables: [{ name: 'PrimaryResult', columns: columns.map((name) => ({ name, type: types[name] ?? 'string' })), rows }] }) + '\n';
  write('CommonSecurityLog.rest-api.json', text, 'CommonSecurityLog', 'CommonSecurityLog', rows.length, [
    { line: 1, record: 2, column: 'DestinationIP', ip: C2A, port: 443 },
    { line: 1, record: 4, column: 'SourceIP', ip: C2B, port: 443 },
  ]);
}

// ------------------------------------------------------------------ `summarize count() by RemoteIP`: no table's signature, searched by the unknown-table rule
csv('summarize-by-RemoteIP.portal.csv', 'unknown', ['RemoteIP', 'count_'], [
  { values: { RemoteIP: '52.96.165.18', count_: 1204 } },
  { values: { RemoteIP: C2A, count_: 48 }, hits: [{ column: 'RemoteIP', ip: C2A, port: null }] },
  { values: { RemoteIP: NEAR, count_: 3 } },
  { values: { RemoteIP: C2B, count_: 2 }, hits: [{ column: 'RemoteIP', ip: C2B, port: null }] },
], 'portal');

writeFileSync(join(HERE, 'headers.json'), JSON.stringify(HEADERS, null, 1) + '\n');
writeFileSync(join(HERE, 'EXPECTED.json'), JSON.stringify({
  about: 'Where each planted C2 hit of exports/ is: file, table the record belongs to ("mixed": see each hit\'s table; "unknown": no catalogued table), records, and per hit the 1-based line and record, the column (as the export spells it), the IOC ip and the port seen (null when none). Near misses (179.43.139.840) and clean rows give no hit. Written by generate.mjs.',
  files: expected,
}, null, 1) + '\n');
