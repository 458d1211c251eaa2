import { ruleTester } from '../helpers/ruleTester';

ruleTester('CL006', {
  valid: [
    'FROM node:20-slim',
    'FROM scratch\nCOPY app /app',
    'FROM node@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    'FROM node:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
    // a previous stage, not an image
    'FROM node:20 AS base\nFROM base\nRUN npm ci',
    // an ARG with a pinned default
    'ARG BASE=python:3.12-slim\nFROM ${BASE}',
    'ARG NODE=20\nFROM node:$NODE',
    // an ARG without a default: unknown, so silent
    'ARG BASE\nFROM $BASE',
    'FROM registry.example.com:5000/team/app:1.4',
    // an ARG that names a previous stage
    'ARG BASE=fpm\nFROM php:8.3-fpm AS fpm-ext\nFROM ${BASE}-ext',
  ],
  invalid: [
    {
      code: ['FROM python', 'RUN pip install flask'].join('\n'),
      errors: [{ line: 1, message: '`python` has no tag, so it means `python:latest`' }],
      output: null,
    },
    {
      code: ['FROM --platform=linux/amd64 ubuntu:latest AS base', 'RUN apt-get update', 'FROM base'].join('\n'),
      errors: [{ line: 1, message: '`ubuntu:latest` follows every upstream release: the step built on it' }],
    },
    {
      name: 'an ARG whose default floats',
      code: ['ARG IMAGE=alpine', 'FROM $IMAGE', 'RUN apk add curl'].join('\n'),
      errors: [{ line: 2, message: 'the default of `$IMAGE`' }],
    },
    {
      name: 'a stage only copied from',
      code: [
        'FROM composer:latest AS composer',
        'FROM php:8.3-fpm',
        'COPY --from=composer /usr/bin/composer /usr/bin/composer',
      ].join('\n'),
      errors: [{ line: 1, message: 'what other stages copy from it can change' }],
    },
    {
      name: 'registry with a port and no tag',
      code: 'FROM localhost:5000/app',
      errors: [{ line: 1, message: '`localhost:5000/app` has no tag' }],
    },
  ],
});
