/** One region, four accounts, every priced feature on, round volumes. */
export const SMALL = `organization:
  id: o-a1b2c3d4e5
  homeRegion: us-east-1
  regions: [us-east-1]
  managementAccount: { id: "111111111111", name: management }
  logArchiveAccount: { id: "222222222222", name: log-archive }
  securityAccount: { id: "333333333333", name: security }
accounts:
  - { id: "444444444444", name: app }
trail:
  dataEvents: { s3: all }
  archive:
    lifecycle:
      transitions: [{ days: 90, storageClass: GLACIER_IR }]
      expirationDays: 365
alerting:
  subscriptions:
    - { protocol: email, endpoint: soc@example.com }
    - { protocol: https, endpoint: https://hooks.example.com/alerts }
eventbridge:
  target: central
  responder: { enabled: true }
estimate:
  trailIsAdditionalCopy: true
  compressionRatio: 0.1
  defaults:
    managementEventsPerDay: 1000
    writeShare: 0.5
    s3DataEventsPerDay: 10000
    eventBytes: 1000
    detectionMatchesPerDay: 2
    insightEventsPerMonth: 10
`;
