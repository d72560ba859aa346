/** What every resource name trailwatch gives starts with (rules, filters, alarms, saved queries): one prefix, so a reader can tell its resources apart. */
export const NAME_PREFIX = 'trailwatch-';
