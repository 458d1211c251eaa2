const dayjs = require('dayjs');
const { startCase } = require('lodash');

exports.stamp = (label) => `${startCase(label)} at ${dayjs().format('YYYY-MM-DD HH:mm')}`;
