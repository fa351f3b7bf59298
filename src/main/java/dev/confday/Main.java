package dev.confday; public class Main { public static void main(String[] a){} }
